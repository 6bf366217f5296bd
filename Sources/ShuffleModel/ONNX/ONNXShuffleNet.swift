import Foundation
import ShuffleEngine

/// A ShuffleNet imported from an ONNX file: its engine graph with the shuffles recognised and
/// the units recovered, and what recognition said about it.
public struct ONNXShuffleNet: Sendable {
    /// The graph for one image.
    public let graph: Graph
    public let recognition: ONNXFamily
    public let shuffle: ShuffleConvention
    public let shuffleGroups: Int
    public let opset: Int
    public let unitCount: Int
    public let weightsFile: URL?

    /// Imports the model in `bytes` (read from `url`) for inputs of `inputSize`.
    public init(bytes: Data, url: URL, inputSize: PlaneSize) throws(ONNXError) {
        let file = url.path
        let model = try ONNXImporter.parse(bytes, file: file)
        let lowered = try ONNXImporter.lower(model, file: file, inputSize: inputSize)
        let placed = ONNXStructure.placed(Self.rebatched(lowered, to: 1))
        let recognised = try ONNXRecognition(placed, file: file)
        graph = placed
        recognition = recognised.family
        shuffle = recognised.convention
        shuffleGroups = recognised.groups
        unitCount = recognised.units
        opset = try ONNXImporter.opset(model, file: file)
        weightsFile = url
    }

    private init(_ other: ONNXShuffleNet, graph: Graph, shuffle: ShuffleConvention) {
        self.graph = graph
        recognition = other.recognition
        self.shuffle = shuffle
        shuffleGroups = other.shuffleGroups
        opset = other.opset
        unitCount = other.unitCount
        weightsFile = other.weightsFile
    }

    /// Whether the file at `url` starts like an ONNX model (or is named `.onnx`, so that a
    /// damaged one is reported as ONNX): see `ONNXImporter.looksLikeONNX`.
    public static func isONNX(_ url: URL) -> Bool {
        if url.pathExtension.lowercased() == "onnx" { return true }
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        guard let prefix = try? handle.read(upToCount: 16) else { return false }
        return ONNXImporter.looksLikeONNX(prefix)
    }

    /// `graph` for `batch` images: every shape's batch and every multiply-add count scaled.
    static func rebatched(_ graph: Graph, to batch: Int) -> Graph {
        let from = max(1, graph.inputShape.n)
        var result = graph
        result.inputShape.n = batch
        for index in result.nodes.indices {
            result.nodes[index].outputShape.n = batch
            result.nodes[index].multiplyAdds = graph.nodes[index].multiplyAdds / from * batch
        }
        return result
    }

    /// The same weights with every shuffle in `convention`.
    public func rebuiltModel(shuffle convention: ShuffleConvention) -> ONNXShuffleNet {
        var changed = graph
        for index in changed.nodes.indices {
            if case .channelShuffle(let groups, _) = changed.nodes[index].op {
                changed.nodes[index].op = .channelShuffle(groups: groups, convention: convention)
            }
        }
        return ONNXShuffleNet(self, graph: changed, shuffle: convention)
    }
}
