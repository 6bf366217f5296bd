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
            With --dump DIR every step's output is written as DIR/NNN_<step>.npy, and DIR/index.json \
            lists them: {"steps": [{"name", "source", "file", "shape"}]}. Files are written atomically.
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
            let executor = try Executor(
                graph: run.model.graph, input: run.input, threads: ProcessInfo.processInfo.activeProcessorCount)
            let start = DispatchTime.now().uptimeNanoseconds
            let output = executor.runToEnd()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if let logits {
                let classes = output.shape.c
                try Npy.write(NpyArray(shape: [1, classes], values: Array(output.storage.prefix(classes))),
                              to: URL(fileURLWithPath: logits))
            }
            if let dump { try StepDump.write(executor, to: URL(fileURLWithPath: dump)) }
            let ranking = Ranking(logits: Array(output.storage.prefix(output.shape.c)), top: top)
            let report = InferReport(
                inputDescription: input.inputDescription, run: run, ranking: ranking, seconds: seconds)
            emit(format.lowercased() == "json" ? report.json() : report.table())
        }
    }
}
