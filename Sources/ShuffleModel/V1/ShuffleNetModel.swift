import Foundation
import ShuffleEngine

/// A ShuffleNet v1 ready to run: its configuration, folded weights and engine graph.
public struct ShuffleNetModel: Sendable, CustomStringConvertible {
    /// Every checkpoint in the authors' layout was trained with their shuffle, and seeded
    /// weights use it too so an exported seeded file reloads to the identical network.
    public static let defaultShuffle: ShuffleConvention = .authors
    /// Used when neither a weights file nor `groups` says otherwise.
    public static let defaultGroups = 3
    /// Used when neither a weights file nor `width` says otherwise.
    public static let defaultWidth = 1.0

    public let configuration: ShuffleNetConfiguration
    /// Folded weights in the authors' channel order, kept so `rebuilt(shuffle:)` needs no file.
    public let parameters: ShuffleNetParameters
    /// The graph for one image in `configuration.shuffle`.
    public let graph: Graph
    /// `seeded (untrained)`, the file name, or `NAME: seeded (untrained)` for exported seeded weights.
    public let weightsDescription: String
    public let isTrained: Bool
    /// The input preset the weights expect. `authors`: resize the short side to 256,
    /// center-crop, BGR, 0–255, no normalisation. Seeded weights are scaled for it too.
    public var preparation: InputPreparation { InputPreparation(preprocessing: .authors) }
    /// The weights file, nil for seeded weights.
    public let weightsFile: URL?

    /// Loads weights from a safetensors file in the authors' layout (architecture inferred from
    /// its shapes), or seeds weights when `weights` is nil.
    ///
    /// - Parameters:
    ///   - groups, width, classes: with a file, they must match it (nil: accept what it holds);
    ///     without one they choose the network (nil: g = 3, 1.0×, 1000 classes).
    ///   - inputSize: input height and width (an integer is a square), each at least `ShuffleNetConfiguration.minimumInputSize`.
    ///   - shuffle: the graph's convention (nil: `defaultShuffle`).
    /// - Throws: `ConfigurationError` for impossible requests, `WeightsError` for file problems.
    public static func load(
        weights: URL? = nil, groups: Int? = nil, width: Double? = nil, inputSize: PlaneSize = 224, classes: Int? = nil,
        shuffle: ShuffleConvention? = nil
    ) throws -> ShuffleNetModel {
        // Check the request before touching the file, so a typo is not reported as a file problem.
        if let groups, !ShuffleNetConfiguration.supportedGroups.contains(groups) {
            throw ConfigurationError.unsupportedGroups(groups)
        }
        if let width, !ShuffleNetConfiguration.supportedWidths.contains(width) {
            throw ConfigurationError.unsupportedWidth(width)
        }
        if let classes, classes < 1 { throw ConfigurationError.invalidClassCount(classes) }
        try ShuffleNetConfiguration.checkInputSize(inputSize)
        let convention = shuffle ?? defaultShuffle

        guard let weights else {
            let configuration = try ShuffleNetConfiguration(
                groups: groups ?? defaultGroups, width: width ?? defaultWidth, inputSize: inputSize,
                classes: classes ?? 1000, shuffle: convention)
            let parameters = try ShuffleNetParameters(
                weights: .seeded(configuration: configuration), configuration: configuration)
            return ShuffleNetModel(parameters: parameters, weightsFile: nil)
        }
        return try load(
            checkpoint: CheckpointTensors.open(weights), url: weights, groups: groups, width: width, classes: classes,
            inputSize: inputSize, shuffle: convention)
    }

    /// Loads an opened checkpoint in the authors' layout; the options must match it (nil: accept it).
    static func load(
        checkpoint: CheckpointTensors, url: URL, groups: Int?, width: Double?, classes: Int?, inputSize: PlaneSize,
        shuffle: ShuffleConvention?
    ) throws -> ShuffleNetModel {
        if let groups, !ShuffleNetConfiguration.supportedGroups.contains(groups) {
            throw ConfigurationError.unsupportedGroups(groups)
        }
        if let width, !ShuffleNetConfiguration.supportedWidths.contains(width) {
            throw ConfigurationError.unsupportedWidth(width)
        }
        let loaded = try ShuffleNetWeights(checkpoint: checkpoint)
        try loaded.check(groups: groups, width: width, classes: classes)
        let configuration = try loaded.configuration(inputSize: inputSize, shuffle: shuffle ?? defaultShuffle)
        let parameters = try ShuffleNetParameters(weights: loaded, configuration: configuration)
        return ShuffleNetModel(parameters: parameters, weightsFile: url)
    }

    /// A model around already folded parameters.
    public init(parameters: ShuffleNetParameters, weightsFile: URL?) {
        self.parameters = parameters
        self.configuration = parameters.configuration
        self.graph = ShuffleNetBuilder.graph(parameters)
        self.weightsFile = weightsFile
        self.isTrained = parameters.isTrained
        weightsDescription = Self.describeWeights(file: weightsFile, isTrained: parameters.isTrained)
    }

    /// The same weights with another shuffle convention (e.g. `.disabled` for the paper's
    /// no-shuffle ablation). Nothing is reloaded.
    public func rebuilt(shuffle: ShuffleConvention) -> any ShuffleNetwork { rebuiltModel(shuffle: shuffle) }

    /// `rebuilt(shuffle:)` as a v1 model.
    public func rebuiltModel(shuffle: ShuffleConvention) -> ShuffleNetModel {
        let parameters = self.parameters.with(configuration: configuration.with(shuffle: shuffle))
        return ShuffleNetModel(parameters: parameters, weightsFile: weightsFile)
    }

    /// The graph for a batch of images, in `configuration.shuffle`.
    public func graph(batchSize: Int) throws(ConfigurationError) -> Graph {
        try ShuffleNetBuilder.graph(parameters, batchSize: batchSize)
    }

}

extension ShuffleNetModel: ShuffleNetwork {
    public var architecture: ModelArchitecture { .v1 }
    /// `ShuffleNet v1 1.0× g=3`.
    public var name: String {
        "\(ShuffleNetConfiguration.family) \(ShuffleNetConfiguration.label(width: configuration.width)) g=\(configuration.groups)"
    }
    public var configurationDescription: String { configuration.description }
    public var familyDescription: String { "\(ShuffleNetConfiguration.family) g=\(configuration.groups)" }
    public var widthLabel: String { ShuffleNetConfiguration.label(width: configuration.width) }
    public var inputSize: PlaneSize { configuration.inputSize }
    public var classes: Int { configuration.classes }
    public var shuffle: ShuffleConvention { configuration.shuffle }
    public var shuffleGroups: Int { configuration.groups }
    public var spec: NetworkSpec { configuration.spec }
    public var jsonFields: [String] {
        commonJSONFields + [
            "\"groups\":\(configuration.groups)", "\"width\":\(configuration.width)",
            "\"widths\":\(JSONText.array(configuration.widths))",
        ]
    }
}
