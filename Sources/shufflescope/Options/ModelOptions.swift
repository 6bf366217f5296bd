import ArgumentParser
import Foundation
import ShuffleEngine
import ShuffleModel

extension ModelArchitecture: ExpressibleByArgument {}
extension ShuffleNetV2Layout: ExpressibleByArgument {}
extension Preprocessing: ExpressibleByArgument {}

/// `--shuffle` values.
enum ShuffleOption: String, CaseIterable, ExpressibleByArgument {
    case paper, authors, none

    var convention: ShuffleConvention {
        switch self {
        case .paper: return .paper
        case .authors: return .authors
        case .none: return .disabled
        }
    }
}

/// Options that choose the network and its weights, shared by every command.
struct ModelOptions: ParsableArguments {
    @Option(
        help: """
            Weights file: safetensors, a PyTorch checkpoint (.pth, .pth.tar, .pt) or an ONNX model (.onnx); \
            the format is read from the bytes. The architecture (v1, v2 torchvision or v2 authors) and widths \
            come from its keys and shapes, or from the ONNX graph. Without it: the first trained checkpoint \
            `shufflescope models` finds, else seeded, untrained weights.
            """)
    var weights: String?

    @Flag(help: "Seeded, untrained weights even when a trained checkpoint is found.")
    var seeded = false

    @Option(help: "Architecture to seed without --weights (with it, must match the file).")
    var arch: ModelArchitecture?

    @Option(help: "ShuffleNet v2 checkpoint layout to seed (default torchvision; with --weights, must match the file).")
    var layout: ShuffleNetV2Layout?

    @Option(help: "ShuffleNet v1 groups g: 1, 2, 3, 4 or 8 (default 3, or what --weights holds). Not for v2.")
    var groups: Int?

    @Option(help: "Width multiplier: v1 0.25, 0.5, 1.0, 1.5, 2.0; v2 0.5, 1.0, 1.5, 2.0 (default 1.0, or what --weights holds).")
    var width: Double?

    @Option(help: "Channel-shuffle convention (default: the one the weights were trained with).")
    var shuffle: ShuffleOption?

    /// The request these options make for inputs of `inputSize`.
    func request(inputSize: PlaneSize) -> ModelRequest {
        ModelRequest(
            weights: weights.map { URL(fileURLWithPath: $0) }, architecture: arch, layout: layout, groups: groups,
            width: width, inputSize: inputSize, shuffle: shuffle?.convention)
    }

    /// Loads the model for inputs of `inputSize`: `--weights`, else a trained checkpoint found on
    /// this machine that fits the other options (unless `--seeded`), else seeded weights.
    func load(inputSize: PlaneSize) throws -> any ShuffleNetwork {
        if seeded, weights != nil { throw UsageError("--seeded and --weights exclude each other") }
        let base = request(inputSize: inputSize)
        let open = { (file: URL?) throws -> any ShuffleNetwork in
            var request = base
            request.weights = file
            return try ModelLoader.load(request)
        }
        if weights == nil, !seeded,
            let found = CheckpointDiscovery.firstTrained(folders: CheckpointFolder.current, load: open, isTrained: \.isTrained)
        {
            return found.model
        }
        return try open(base.weights)
    }
}
