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
            Weights file (.safetensors) or ONNX model (.onnx); the architecture (v1, v2 torchvision or v2 authors) \
            and widths are read from its keys and shapes, or from the ONNX graph. Without it: seeded, untrained weights.
            """)
    var weights: String?

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

    /// Loads (or seeds) the model for inputs of `inputSize`.
    func load(inputSize: PlaneSize) throws -> any ShuffleNetwork {
        try ModelLoader.load(request(inputSize: inputSize))
    }
}
