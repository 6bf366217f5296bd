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
        return ModelSummary(model: try model.load(inputSize: PlaneSize(inputSize))).render(outputFormat)
    }
}
