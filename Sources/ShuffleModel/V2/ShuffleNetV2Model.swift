import Foundation
import ShuffleEngine

/// A ShuffleNet v2 ready to run: its configuration, folded weights and engine graph.
public struct ShuffleNetV2Model: Sendable {
    public let configuration: ShuffleNetV2Configuration
    /// Folded weights, kept so `rebuilt(shuffle:)` needs no file.
    public let weights: FoldedNetwork
    public let graph: Graph
    public let isTrained: Bool
    public let weightsDescription: String
    public let weightsFile: URL?

    /// Folds `checkpoint` (which must hold `configuration`'s keys and shapes) and builds the graph.
    init(configuration: ShuffleNetV2Configuration, checkpoint: CheckpointTensors, weightsFile: URL?) throws(WeightsError) {
        try self.init(
            configuration: configuration, weights: configuration.spec.folded(checkpoint), isTrained: checkpoint.isTrained,
            weightsFile: weightsFile)
    }

    private init(configuration: ShuffleNetV2Configuration, weights: FoldedNetwork, isTrained: Bool, weightsFile: URL?) {
        self.configuration = configuration
        self.weights = weights
        self.isTrained = isTrained
        self.weightsFile = weightsFile
        graph = ShuffleNetV2Builder.graph(configuration, weights: weights)
        weightsDescription = Self.describeWeights(file: weightsFile, isTrained: isTrained)
    }

    /// Seeded, untrained weights for `configuration`.
    public static func seeded(_ configuration: ShuffleNetV2Configuration, seed: UInt64 = NetworkSpec.defaultSeed)
        throws(WeightsError) -> ShuffleNetV2Model
    {
        try ShuffleNetV2Model(configuration: configuration, checkpoint: configuration.spec.seeded(seed: seed), weightsFile: nil)
    }

    /// `rebuilt(shuffle:)` as a v2 model.
    public func rebuiltModel(shuffle: ShuffleConvention) -> ShuffleNetV2Model {
        ShuffleNetV2Model(
            configuration: configuration.with(shuffle: shuffle), weights: weights, isTrained: isTrained,
            weightsFile: weightsFile)
    }
}

extension ShuffleNetV2Model: ShuffleNetwork {
    public var architecture: ModelArchitecture { .v2 }
    /// `ShuffleNet v2 1.0× (torchvision)`.
    public var name: String { "\(configuration.name) (\(configuration.layout.rawValue))" }
    public var configurationDescription: String { configuration.description }
    public var familyDescription: String { configuration.familyName }
    public var widthLabel: String { ShuffleNetConfiguration.label(width: configuration.width) }
    public var inputSize: PlaneSize { configuration.inputSize }
    public var classes: Int { configuration.classes }
    public var shuffle: ShuffleConvention { configuration.shuffle }
    public var shuffleGroups: Int { 2 }
    public var spec: NetworkSpec { configuration.spec }

    /// torchvision's weights: their ImageNet transform, resizing to 232 for the two larger models
    /// (`shufflenet_v2_x1_5`, `x2_0`) and 256 otherwise; the authors': their OpenCV BGR 0–255 one.
    public var preparation: InputPreparation {
        switch configuration.layout {
        case .torchvision:
            let larger = configuration.width >= 1.5
            return InputPreparation(preprocessing: .torchvision, resizeRatio: larger ? (232, 224) : (256, 224))
        case .authors:
            return InputPreparation(preprocessing: .authors)
        }
    }

    public var jsonFields: [String] {
        commonJSONFields + [
            "\"layout\":\(JSONText.quote(configuration.layout.rawValue))", "\"width\":\(configuration.width)",
            "\"widths\":\(JSONText.array(configuration.widths))",
        ]
    }

    public func rebuilt(shuffle: ShuffleConvention) -> any ShuffleNetwork { rebuiltModel(shuffle: shuffle) }

    public func graph(batchSize: Int) throws(ConfigurationError) -> Graph {
        guard batchSize >= 1 else { throw .invalidBatchSize(batchSize) }
        return ShuffleNetV2Builder.graph(configuration, weights: weights, batchSize: batchSize)
    }
}
