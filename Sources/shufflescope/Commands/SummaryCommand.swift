import ArgumentParser
import Foundation
import ShuffleEngine
import ShuffleModel

/// `shufflescope summary`: every step of the network with its shape, parameters and cost.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "List every step of the network with its output shape, parameters and multiply-adds."
    )

    @OptionGroup var model: ModelOptions

    @Option(
        name: .customLong("input-size"), parsing: .unconditional,
        help: "Side of the square input image in pixels, \(InputSizeLimit.range).")
    var inputSize: Int = 224

    @Option(help: "Output format: table, json or csv.")
    var format: String = "table"

    func run() throws {
        try reportingFailures(of: "summary") { emit(try render()) }
    }

    /// The text `run` prints; every failure is a one-line message.
    func render() throws -> String {
        guard let outputFormat = ModelSummary.Format(rawValue: format.lowercased()) else {
            throw UsageError("unknown format '\(format)'; use table, json or csv")
        }
        try InputSizeLimit.check(inputSize)
        let loaded = try model.load(inputSize: PlaneSize(inputSize))
        let text = ModelSummary(model: loaded).render(outputFormat)
        let memory = ActivationMemory(graph: loaded.graph, threads: ProcessInfo.processInfo.activeProcessorCount)
        switch outputFormat {
        case .table: return text + "\n" + Self.memoryTable(memory, size: loaded.inputSize)
        case .json: return Self.addingMemory(memory, toJSON: text)
        case .csv: return text  // one row per step; the estimate is not a step
        }
    }

    /// Peak activation memory per execution mode, as lines under the step table.
    static func memoryTable(_ memory: ActivationMemory, size: PlaneSize) -> String {
        let rows = [
            ("fast path (infer, bench, profile)", memory.fastPath),
            ("step by step, outputs freed after use (infer --dump)", memory.streaming),
            ("step by step, every output kept (inspector, bench --keep-outputs)", memory.everyOutput),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        var lines = ["peak activation memory at \(size.dimensions) (input, outputs alive and scratch; weights not included):"]
        for (name, bytes) in rows {
            lines.append("  " + name + String(repeating: " ", count: width - name.count) + "  " + Self.megabytes(bytes))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The summary's JSON with `"activation_memory": {"fast_path", "streaming", "every_output"}`
    /// (bytes) added as its last member.
    static func addingMemory(_ memory: ActivationMemory, toJSON text: String) -> String {
        let member = "\"activation_memory\": {\"fast_path\":\(memory.fastPath),\"streaming\":\(memory.streaming),"
            + "\"every_output\":\(memory.everyOutput)}"
        guard let close = text.lastIndex(of: "}") else { return text }
        let body = text[..<close].reversed().drop { $0 == "\n" || $0 == " " }.reversed()
        return String(body) + ",\n  " + member + "\n}\n"
    }

    /// `12.3 MB` (10^6 bytes).
    static func megabytes(_ bytes: Int) -> String {
        String(format: "%.1f MB", Double(bytes) / 1e6)
    }
}
