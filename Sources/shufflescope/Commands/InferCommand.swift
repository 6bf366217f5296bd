import ArgumentParser
import Foundation
import ShuffleEngine
import ShuffleModel

/// `shufflescope infer`: one forward pass, the top classes, and optionally every step's output.
struct InferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Run one forward pass and print the top classes.",
        discussion: """
            Without --dump the pass runs on the fast path (fused steps, one arena). With --dump DIR it runs \
            step by step and every step's output is written as DIR/NNN_<step>.npy as soon as it is produced \
            (and freed once no later step reads it); DIR/index.json lists them: \
            {"steps": [{"name", "source", "file", "shape"}]}. Files are written atomically. \
            A pass whose output is not finite fails, naming the first step that produced a NaN or infinity.
            """
    )

    @OptionGroup var model: ModelOptions
    @OptionGroup var input: InputOptions

    @Option(parsing: .unconditional, help: "How many classes to print.")
    var top: Int = 5

    @Option(help: "Write the logits as a float32 .npy array of shape [1, classes].")
    var logits: String?

    @Option(help: "Write every step's output as .npy files plus index.json into this directory.")
    var dump: String?

    @Option(help: "Output format: table or json.")
    var format: String = "table"

    func run() throws {
        try reportingFailures(of: "infer") {
            guard ["table", "json"].contains(format.lowercased()) else {
                throw UsageError("unknown format '\(format)'; use table or json")
            }
            guard top >= 1 else { throw UsageError("--top must be at least 1, not \(top)") }
            let run = try LoadedRun(model: model, input: input)
            let graph = run.model.graph
            let context = KernelContext(threads: ProcessInfo.processInfo.activeProcessorCount)
            let output: Tensor
            let seconds: Double
            var firstNonFinite: (node: Int, value: NonFiniteValue)?
            if let dump {
                // Step by step, each output written as it is produced and freed when no longer read.
                let result = try StepDump.run(graph: graph, input: run.input, context: context, to: URL(fileURLWithPath: dump))
                (output, seconds, firstNonFinite) = (result.output, result.seconds, result.firstNonFinite)
            } else {
                // The fast path: fused steps in one arena sized by liveness.
                let pass = try ForwardPass(graph: graph, context: context)
                let start = DispatchTime.now().uptimeNanoseconds
                output = try pass.run(run.input)
                seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                if output.firstNonFinite() != nil {
                    firstNonFinite = try StreamingRun.firstNonFinite(graph: graph, input: run.input, context: context)
                }
            }
            if let (node, value) = firstNonFinite {
                throw UsageError(
                    "the pass produced non-finite values: \(graph.nodes[node].name) is the first step whose output "
                        + "holds one (\(value)); the logits are not finite")
            }
            if let logits {
                let classes = output.shape.c
                try Npy.write(NpyArray(shape: [1, classes], values: Array(output.storage.prefix(classes))),
                              to: URL(fileURLWithPath: logits))
            }
            let ranking = Ranking(logits: Array(output.storage.prefix(output.shape.c)), top: top)
            let report = InferReport(
                inputDescription: input.inputDescription, run: run, ranking: ranking, seconds: seconds,
                mode: dump == nil ? "fast path" : "step-wise, every output written")
            emit(format.lowercased() == "json" ? report.json() : report.table())
        }
    }
}
