import Foundation
import ShuffleEngine
import ShuffleModel

/// Writes every step's output of a pass as `.npy` files plus `index.json`, streaming: each
/// output is written as soon as its step has run, and released once no later step reads it, so
/// memory holds the live set of the pass (`ActivationMemory.streaming`), not every output.
enum StepDump {
    struct Result {
        /// The last node's output.
        var output: Tensor
        /// Sum of the steps' kernel times, in seconds.
        var seconds: Double
        /// The first step whose output is not finite, if any.
        var firstNonFinite: (node: Int, value: NonFiniteValue)?
    }

    static func run(graph: Graph, input: Tensor, context: KernelContext, to directory: URL) throws -> Result {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw UsageError("\(directory.path): cannot create the dump directory: \(error.localizedDescription)")
        }
        // Temporary files of an earlier dump that was killed before it could rename them.
        AtomicFile.removeStaleTemporaryFiles(in: directory)
        var entries: [String] = []
        var seconds = 0.0
        var firstNonFinite: (node: Int, value: NonFiniteValue)?
        let output = try StreamingRun.run(graph: graph, input: input, context: context) { step in
            seconds += step.seconds
            if firstNonFinite == nil, let value = step.output.firstNonFinite() { firstNonFinite = (step.index, value) }
            let file = String(format: "%03d_%@.npy", step.index, step.node.name)
            try Npy.write(step.output, to: directory.appendingPathComponent(file))
            let source = step.node.source.map { "\(JSONText.quote($0))" } ?? "null"
            entries.append(
                "{\"name\":\(JSONText.quote(step.node.name)),\"source\":\(source),\"file\":\(JSONText.quote(file)),"
                    + "\"shape\":[\(step.output.shape.dims.map(String.init).joined(separator: ","))]}")
        }
        let index = "{\"steps\":[\n" + entries.joined(separator: ",\n") + "\n]}\n"
        try AtomicFile.write(Data(index.utf8), to: directory.appendingPathComponent("index.json"))
        return Result(output: output, seconds: seconds, firstNonFinite: firstNonFinite)
    }
}
