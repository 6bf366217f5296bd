import ArgumentParser
import Foundation
import ShuffleEngine
import ShuffleModel

/// Options that choose the network and its weights, shared by every command.
struct ModelOptions: ParsableArguments {
    @Option(help: "Weights file in the authors' layout (.safetensors). Without it: seeded, untrained weights.")
    var weights: String?

    @Option(help: "Groups g: 1, 2, 3, 4 or 8 (default 3, or what --weights holds).")
    var groups: Int?

    @Option(help: "Width multiplier: 0.25, 0.5, 1.0, 1.5 or 2.0 (default 1.0, or what --weights holds).")
    var width: Double?

    @Option(help: "Channel-shuffle convention: paper, authors or none (default authors, the released weights' own).")
    var shuffle: String?

    /// The `--shuffle` value, checked.
    func convention() throws -> ShuffleConvention? {
        guard let shuffle else { return nil }
        guard let named = ShuffleConvention(optionName: shuffle) else {
            throw UsageError(
                "unknown shuffle '\(shuffle)'; use \(ShuffleConvention.optionNames.joined(separator: ", "))")
        }
        return named
    }

    /// Loads (or seeds) the model for inputs of `inputSize`.
    func load(inputSize: PlaneSize) throws -> ShuffleNetModel {
        try ShuffleNetModel.load(
            weights: weights.map { URL(fileURLWithPath: $0) }, groups: groups, width: width, inputSize: inputSize,
            shuffle: try convention())
    }
}
