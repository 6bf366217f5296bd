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

    @Option(help: "Groups g: 1, 2, 3, 4 or 8 (default 3, or what --weights holds).")
    var groups: Int?

    @Option(help: "Width multiplier: 0.25, 0.5, 1.0, 1.5 or 2.0 (default 1.0, or what --weights holds).")
    var width: Double?

    @Option(name: .customLong("input-size"), help: "Side of the square input image in pixels.")
    var inputSize: Int = 224

    @Option(help: "Weights file in the authors' layout (.safetensors). Without it: seeded, untrained weights.")
    var weights: String?

    @Option(help: "Output format: table, json or csv.")
    var format: String = "table"

    @Option(help: "Channel-shuffle convention: paper, authors or none (default authors).")
    var shuffle: String?

    func run() throws {
        do {
            print(try render(), terminator: "")
        } catch {
            FileHandle.standardError.write(Data("shufflescope summary: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// The text `run` prints; every failure is a one-line message.
    func render() throws -> String {
        guard let outputFormat = ModelSummary.Format(rawValue: format.lowercased()) else {
            throw SummaryInputError("unknown format '\(format)'; use table, json or csv")
        }
        var convention: ShuffleConvention?
        if let shuffle {
            guard let named = ShuffleConvention(optionName: shuffle) else {
                throw SummaryInputError(
                    "unknown shuffle '\(shuffle)'; use \(ShuffleConvention.optionNames.joined(separator: ", "))")
            }
            convention = named
        }
        let model = try ShuffleNetModel.load(
            weights: weights.map { URL(fileURLWithPath: $0) }, groups: groups, width: width, inputSize: PlaneSize(inputSize),
            shuffle: convention)
        return ModelSummary(model: model).render(outputFormat)
    }
}

/// A bad option value, reported as one line.
struct SummaryInputError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
