import Foundation
import ShuffleEngine
import ShuffleModel

/// Writes every step's output of a finished pass as `.npy` files plus `index.json`.
enum StepDump {
    static func write(_ executor: Executor, to directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw UsageError("\(directory.path): cannot create the dump directory: \(error.localizedDescription)")
        }
        var entries: [String] = []
        for (index, node) in executor.graph.nodes.enumerated() {
            guard let output = executor.outputs[index] else { continue }
            let file = String(format: "%03d_%@.npy", index, node.name)
            try Npy.write(output, to: directory.appendingPathComponent(file))
            let source = node.source.map { "\(JSONText.quote($0))" } ?? "null"
            entries.append(
                "{\"name\":\(JSONText.quote(node.name)),\"source\":\(source),\"file\":\(JSONText.quote(file)),"
                    + "\"shape\":[\(output.shape.dims.map(String.init).joined(separator: ","))]}")
        }
        let index = "{\"steps\":[\n" + entries.joined(separator: ",\n") + "\n]}\n"
        try AtomicFile.write(Data(index.utf8), to: directory.appendingPathComponent("index.json"))
    }
}
