import ArgumentParser
import Foundation
import ShuffleEngine
import ShuffleModel

/// Options that choose the network and its weights, shared by every command.
struct ModelOptions: ParsableArguments {
    @Option(
        help: """
            Weights file in the authors' layout: safetensors or a PyTorch checkpoint (.pth, .pth.tar, .pt; \
            the format is read from the bytes). Without it: the first trained checkpoint \
            `shufflescope models` finds, else seeded, untrained weights.
            """)
    var weights: String?

    @Flag(help: "Seeded, untrained weights even when a trained checkpoint is found.")
    var seeded = false

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

    /// Loads the model for inputs of `inputSize`: `--weights`, else a trained checkpoint found on
    /// this machine that fits the other options (unless `--seeded`), else seeded weights.
    func load(inputSize: PlaneSize) throws -> ShuffleNetModel {
        if seeded, weights != nil { throw UsageError("--seeded and --weights exclude each other") }
        let convention = try convention()
        let open = { (file: URL?) in
            try ShuffleNetModel.load(
                weights: file, groups: groups, width: width, inputSize: inputSize, shuffle: convention)
        }
        if weights == nil, !seeded,
            let found = CheckpointDiscovery.firstTrained(folders: CheckpointFolder.current, load: open, isTrained: \.isTrained)
        {
            return found.model
        }
        return try open(weights.map { URL(fileURLWithPath: $0) })
    }
}
