import ShuffleEngine

/// One ShuffleNet v1 network: group count, channel widths, input size, classes and the
/// channel-shuffle convention its graph uses.
///
/// Stages 2–4 repeat 4, 8 and 4 units; the first unit of each stage has stride 2. Spatially the
/// network is conv1 (3×3/2) → max pool (3×3/2) → three stride-2 stages, a total stride of 32, so
/// 224 gives 112, 56, 28, 14, 7.
public struct ShuffleNetConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// The family's name in messages and headers.
    public static let family = "ShuffleNet v1"
    /// Group counts of the paper's Table 1.
    public static let supportedGroups = [1, 2, 3, 4, 8]
    /// Width multipliers (the paper's "ShuffleNet s×").
    public static let supportedWidths: [Double] = [0.25, 0.5, 1.0, 1.5, 2.0]
    /// Units per stage (stages 2, 3, 4).
    public static let stageRepeats = UnitPosition.stageRepeats
    /// Bounds memory: one 24-channel map of 4096² floats is already 400 MB after conv1.
    public static let maximumInputSize = 4096

    /// Groups of every grouped 1×1 convolution (and of the channel shuffle).
    public let groups: Int
    /// Width multiplier; for a checkpoint with non-standard widths, stage 2's ratio to Table 1.
    public let width: Double
    /// Output channels `[conv1, stage2, stage3, stage4]`.
    public let widths: [Int]
    /// Height and width of the square input image.
    public let inputSize: PlaneSize
    /// Outputs of the classifier.
    public let classes: Int
    /// How the graph's channel-shuffle steps permute channels.
    public let shuffle: ShuffleConvention

    /// The standard network for `groups` and `width` (see `standardWidths(groups:width:)`).
    public init(
        groups: Int = 3, width: Double = 1.0, inputSize: PlaneSize = 224, classes: Int = 1000,
        shuffle: ShuffleConvention = .authors
    ) throws(ConfigurationError) {
        let widths = try Self.standardWidths(groups: groups, width: width)
        try self.init(
            groups: groups, widths: widths, width: width, inputSize: inputSize, classes: classes, shuffle: shuffle)
    }

    /// A network with explicit widths (e.g. read from a checkpoint), checked for divisibility.
    public init(
        groups: Int, widths: [Int], width: Double, inputSize: PlaneSize = 224, classes: Int = 1000,
        shuffle: ShuffleConvention = .authors
    ) throws(ConfigurationError) {
        guard Self.supportedGroups.contains(groups) else { throw .unsupportedGroups(groups) }
        try Self.checkWidths(widths, groups: groups)
        try Self.checkInputSize(inputSize)
        guard classes >= 1 else { throw .invalidClassCount(classes) }
        self.groups = groups
        self.widths = widths
        self.width = width
        self.inputSize = inputSize
        self.classes = classes
        self.shuffle = shuffle
    }

    /// The same network with another shuffle convention.
    public func with(shuffle: ShuffleConvention) -> ShuffleNetConfiguration {
        ShuffleNetConfiguration(unchecked: self, shuffle: shuffle)
    }

    /// `0.5×`, `1.0×`, `0.25×`.
    public static func label(width: Double) -> String { "\(width)×" }

    /// `ShuffleNet v1 1.0× g=3 [24, 240, 480, 960], 224×224, 1000 classes, authors' shuffle`.
    public var description: String {
        "ShuffleNet v1 \(Self.label(width: width)) g=\(groups) \(widths), \(inputSize.dimensions), "
            + "\(classes) classes, \(shuffle.orderDescription)"
    }

    /// A copy with another convention; the rest was checked when `other` was made.
    private init(unchecked other: ShuffleNetConfiguration, shuffle: ShuffleConvention) {
        groups = other.groups
        widths = other.widths
        width = other.width
        inputSize = other.inputSize
        classes = other.classes
        self.shuffle = shuffle
    }
}
