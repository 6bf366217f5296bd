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
    /// Name of the input preset the weights expect. `authors`: resize the short side to 256,
    /// center-crop, BGR, 0–255, no normalisation. Seeded weights are scaled for it too.
    public let defaultPreprocessing: String
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
        let loaded = try ShuffleNetWeights.load(contentsOf: weights)
        try loaded.check(groups: groups, width: width, classes: classes)
        let configuration = try loaded.configuration(inputSize: inputSize, shuffle: convention)
        let parameters = try ShuffleNetParameters(weights: loaded, configuration: configuration)
        return ShuffleNetModel(parameters: parameters, weightsFile: weights)
    }

    /// A model around already folded parameters.
    public init(parameters: ShuffleNetParameters, weightsFile: URL?) {
        self.parameters = parameters
        self.configuration = parameters.configuration
        self.graph = ShuffleNetBuilder.graph(parameters)
        self.weightsFile = weightsFile
        self.isTrained = parameters.isTrained
        self.defaultPreprocessing = "authors"
        let name = weightsFile?.lastPathComponent
        switch (name, parameters.isTrained) {
        case (nil, _): weightsDescription = ShuffleNetWeights.seededMarker
        case (let name?, true): weightsDescription = name
        case (let name?, false): weightsDescription = "\(name): \(ShuffleNetWeights.seededMarker)"
        }
    }

    /// The same weights with another shuffle convention (e.g. `.disabled` for the paper's
    /// no-shuffle ablation). Nothing is reloaded.
    public func rebuilt(shuffle: ShuffleConvention) -> ShuffleNetModel {
        let parameters = self.parameters.with(configuration: configuration.with(shuffle: shuffle))
        return ShuffleNetModel(parameters: parameters, weightsFile: weightsFile)
    }

    /// The graph for a batch of images, in `configuration.shuffle`.
    public func graph(batchSize: Int) throws(ConfigurationError) -> Graph {
        try ShuffleNetBuilder.graph(parameters, batchSize: batchSize)
    }

    /// `ShuffleNet v1 1.0× g=3 [24, 240, 480, 960], 224×224, 1000 classes, authors' shuffle; seeded (untrained)`.
    public var description: String { "\(configuration); \(weightsDescription)" }
}
