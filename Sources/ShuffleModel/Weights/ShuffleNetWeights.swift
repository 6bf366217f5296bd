import ShuffleEngine

/// The unfolded weights of one ShuffleNet v1, named as in the authors' state dict (no `module.`
/// prefix, no `num_batches_tracked`), with the architecture their shapes describe.
///
/// Every instance has been checked: all of `CheckpointLayout.keys` are present, nothing else is,
/// and every shape fits `groups`, `widths` and `classes`. Values are checked (finite, variances
/// non-negative) when they are folded into `ShuffleNetParameters`.
public struct ShuffleNetWeights: Sendable {
    /// Metadata key marking weights this program generated rather than trained.
    public static let originMetadataKey = "shufflescope.weights"
    /// Its value for seeded weights.
    public static let seededMarker = "seeded (untrained)"

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
        for (key, tensor) in tensors where tensor.values.count != tensor.shape.reduce(1, *) {
            throw .unsupportedLayout(
                file: origin, key: key, shape: tensor.shape,
                reason: "holds \(tensor.values.count) values, not \(tensor.shape.reduce(1, *))")
        }
        let architecture = try CheckpointInference.architecture(shapes: tensors.mapValues(\.shape), file: origin)
        self.init(checked: architecture, origin: origin, tensors: tensors, metadata: metadata)
    }

    init(
        checked architecture: CheckpointInference.Architecture, origin: String, tensors: [String: ParameterTensor],
        metadata: [String: String]
    ) {
        self.origin = origin
        self.metadata = metadata
        self.tensors = tensors
        self.groups = architecture.groups
        self.widths = architecture.widths
        self.classes = architecture.classes
        self.width = architecture.width
        self.hasStandardWidths = architecture.isStandard
    }

    /// False for weights this program seeded (directly or via a file it exported).
    public var isTrained: Bool { metadata[Self.originMetadataKey] != Self.seededMarker }

    /// `ShuffleNet v1 1.0× g=3 [24, 240, 480, 960], 1000 classes`.
    public var architectureDescription: String {
        "ShuffleNet v1 \(ShuffleNetConfiguration.label(width: width)) g=\(groups) \(widths), \(classes) classes"
    }

    /// The tensor `key`, or a `missingKeys` error naming it.
    public func tensor(_ key: String) throws(WeightsError) -> ParameterTensor {
        guard let tensor = tensors[key] else { throw .missingKeys(file: origin, keys: [key]) }
        return tensor
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
