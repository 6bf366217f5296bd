import ShuffleEngine

/// The unfolded weights of one ShuffleNet v1, named as in the authors' state dict (no `module.`
/// prefix, no `num_batches_tracked`), with the architecture their shapes describe.
///
/// Every instance has been checked: all of the network's keys are present, nothing else is,
/// and every shape fits `groups`, `widths` and `classes`. Values are checked (finite, variances
/// non-negative) when they are folded into `ShuffleNetParameters`.
public struct ShuffleNetWeights: Sendable {
    /// Metadata key marking weights this program generated rather than trained.
    public static let originMetadataKey = CheckpointTensors.originMetadataKey
    /// Its value for seeded weights.
    public static let seededMarker = CheckpointTensors.seededMarker
    /// The seed `seeded(configuration:)` uses unless told otherwise.
    public static let defaultSeed = NetworkSpec.defaultSeed

    /// The file path, or a label such as `seeded weights`; every error names it.
    public let origin: String
    /// The file's `__metadata__`.
    public let metadata: [String: String]
    public let tensors: [String: ParameterTensor]
    public let groups: Int
    /// `[conv1, stage2, stage3, stage4]`.
    public let widths: [Int]
    public let classes: Int
    /// The width multiplier whose standard widths these are, or stage 2's ratio to Table 1.
    public let width: Double
    /// Whether `widths` are `ShuffleNetConfiguration.standardWidths(groups:width:)`.
    public let hasStandardWidths: Bool

    /// Checks `tensors` against the layout and infers the architecture from their shapes.
    public init(origin: String, tensors: [String: ParameterTensor], metadata: [String: String] = [:])
        throws(WeightsError)
    {
        try self.init(checkpoint: CheckpointTensors(origin: origin, tensors: tensors, metadata: metadata))
    }

    /// Infers the architecture from the checkpoint's shapes, checks every key and shape, then
    /// decodes the tensors the network needs.
    public init(checkpoint: CheckpointTensors) throws(WeightsError) {
        let architecture = try CheckpointInference.architecture(shapes: checkpoint.shapes, file: checkpoint.origin)
        var tensors: [String: ParameterTensor] = [:]
        for key in CheckpointLayout.keys { tensors[key] = try checkpoint.tensor(key) }
        origin = checkpoint.origin
        metadata = checkpoint.metadata
        self.tensors = tensors
        groups = architecture.groups
        widths = architecture.widths
        classes = architecture.classes
        width = architecture.width
        hasStandardWidths = architecture.isStandard
    }

    /// False for weights this program seeded (directly or via a file it exported).
    public var isTrained: Bool { metadata[Self.originMetadataKey] != Self.seededMarker }

    /// `ShuffleNet v1 1.0× g=3 [24, 240, 480, 960], 1000 classes`.
    public var architectureDescription: String {
        "\(ShuffleNetConfiguration.family) \(ShuffleNetConfiguration.label(width: width)) g=\(groups) \(widths), \(classes) classes"
    }

    /// The tensor `key`, or a `missingKeys` error naming it.
    public func tensor(_ key: String) throws(WeightsError) -> ParameterTensor {
        guard let tensor = tensors[key] else {
            throw .missingKeys(file: origin, network: ShuffleNetConfiguration.family, keys: [key])
        }
        return tensor
    }

    /// The tensors as a checkpoint, for folding.
    var checkpoint: CheckpointTensors {
        get throws(WeightsError) { try CheckpointTensors(origin: origin, tensors: tensors, metadata: metadata) }
    }

    /// Fails unless these weights are what the caller asked for (nil: no preference).
    public func check(groups requestedGroups: Int?, width requestedWidth: Double?, classes requestedClasses: Int?)
        throws(WeightsError)
    {
        if let requestedGroups, requestedGroups != groups {
            throw .configurationMismatch(
                file: origin, requested: "groups \(requestedGroups)", found: architectureDescription)
        }
        if let requestedWidth {
            let expected = try? ShuffleNetConfiguration.standardWidths(groups: groups, width: requestedWidth)
            if expected != widths {
                let detail = expected.map { " (widths \($0) at g=\(groups))" } ?? ""
                throw .configurationMismatch(
                    file: origin, requested: "width \(ShuffleNetConfiguration.label(width: requestedWidth))\(detail)",
                    found: architectureDescription)
            }
        }
        if let requestedClasses, requestedClasses != classes {
            throw .configurationMismatch(
                file: origin, requested: "\(requestedClasses) classes", found: architectureDescription)
        }
    }

    /// The configuration of these weights at an input size and shuffle convention.
    public func configuration(inputSize: PlaneSize = 224, shuffle: ShuffleConvention = .authors) throws(ConfigurationError)
        -> ShuffleNetConfiguration
    {
        try ShuffleNetConfiguration(
            groups: groups, widths: widths, width: width, inputSize: inputSize, classes: classes, shuffle: shuffle)
    }
}
