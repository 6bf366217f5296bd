import ShuffleEngine

/// Which released family of ShuffleNet v2 checkpoints a network follows. The two compute the
/// same kind of unit but name, split and shuffle channels differently, so their weights do not
/// load into each other's graph (see REFERENCE.md).
public enum ShuffleNetV2Layout: String, Sendable, CaseIterable, Equatable {
    /// torchvision's `shufflenet_v2_x*`: `conv1`, `stageN.k.branch{1,2}`, `conv5`, `fc` with bias;
    /// contiguous halves, and a g = 2 shuffle (the paper's convention) after every unit.
    case torchvision
    /// The authors' ShuffleNet-Series: `first_conv`, `features.N.branch_{main,proj}`, `conv_last`,
    /// `classifier.0` without bias; every stride-1 unit starts by splitting even and odd channels.
    case authors

    /// The convention of the shuffles that the released weights were trained with.
    public var trainedShuffle: ShuffleConvention { self == .torchvision ? .paper : .authors }
}

/// One ShuffleNet v2 network: layout, widths, input size and classes.
///
/// Stages 2–4 repeat 4, 8 and 4 units; the first unit of each stage has stride 2 and doubles
/// the width. Spatially: conv1 (3×3/2) → max pool (3×3/2) → three stride-2 stages → conv5 (1×1)
/// → global average pool → FC.
public struct ShuffleNetV2Configuration: Sendable, Equatable, CustomStringConvertible {
    /// The family's name in messages and headers.
    public static let family = "ShuffleNet v2"
    /// Width multipliers of the released models.
    public static let supportedWidths: [Double] = [0.5, 1.0, 1.5, 2.0]
    /// Units per stage (stages 2, 3, 4).
    public static let stageRepeats = UnitPosition.stageRepeats

    public let layout: ShuffleNetV2Layout
    public let width: Double
    /// Output channels `[conv1, stage2, stage3, stage4, conv5]`.
    public let widths: [Int]
    public let inputSize: PlaneSize
    public let classes: Int
    /// How the graph's channel shuffles (and the authors' even/odd split) permute channels.
    public let shuffle: ShuffleConvention

    /// The released widths for `width` (the paper's Table 5).
    public static func standardWidths(width: Double) throws(ConfigurationError) -> [Int] {
        switch width {
        case 0.5: return [24, 48, 96, 192, 1024]
        case 1.0: return [24, 116, 232, 464, 1024]
        case 1.5: return [24, 176, 352, 704, 1024]
        case 2.0: return [24, 244, 488, 976, 2048]
        default: throw .unsupportedV2Width(width)
        }
    }

    /// The standard network for `width`; `shuffle` defaults to the layout's trained convention.
    public init(
        layout: ShuffleNetV2Layout = .torchvision, width: Double = 1.0, inputSize: PlaneSize = 224,
        classes: Int = 1000, shuffle: ShuffleConvention? = nil
    ) throws(ConfigurationError) {
        try self.init(
            layout: layout, widths: Self.standardWidths(width: width), width: width, inputSize: inputSize,
            classes: classes, shuffle: shuffle)
    }

    /// A network with explicit widths (read from a checkpoint), checked: stage widths even (each
    /// unit splits them in halves), and every width positive.
    public init(
        layout: ShuffleNetV2Layout, widths: [Int], width: Double, inputSize: PlaneSize = 224, classes: Int = 1000,
        shuffle: ShuffleConvention? = nil
    ) throws(ConfigurationError) {
        guard widths.count == 5, widths.allSatisfy({ $0 > 0 }), widths[1...3].allSatisfy({ $0 % 2 == 0 }) else {
            throw .invalidV2Widths(widths, reason: "it needs five positive widths, the three stage widths even")
        }
        try ShuffleNetConfiguration.checkInputSize(inputSize)
        guard classes >= 1 else { throw .invalidClassCount(classes) }
        self.layout = layout
        self.widths = widths
        self.width = width
        self.inputSize = inputSize
        self.classes = classes
        self.shuffle = shuffle ?? layout.trainedShuffle
    }

    /// The same network with another shuffle convention (or input size); the rest was checked.
    public func with(shuffle: ShuffleConvention) -> ShuffleNetV2Configuration {
        var copy = self
        copy.setShuffle(shuffle)
        return copy
    }

    private mutating func setShuffle(_ convention: ShuffleConvention) {
        self = ShuffleNetV2Configuration(unchecked: self, shuffle: convention)
    }

    private init(unchecked other: ShuffleNetV2Configuration, shuffle: ShuffleConvention) {
        layout = other.layout
        width = other.width
        widths = other.widths
        inputSize = other.inputSize
        classes = other.classes
        self.shuffle = shuffle
    }

    /// `ShuffleNet v2 1.0×`.
    public var name: String { "\(Self.family) \(ShuffleNetConfiguration.label(width: width))" }

    /// `ShuffleNet v2 1.0× (torchvision) [24, 116, 232, 464, 1024], 224×224, 1000 classes, paper's shuffle`.
    public var description: String {
        "\(name) (\(layout.rawValue)) \(widths), \(inputSize.dimensions), \(classes) classes, \(shuffle.orderDescription)"
    }

    /// Output size of conv1.
    public var stemSize: PlaneSize { inputSize.halved }
    /// Output size of the max pool, the input of stage 2.
    public var poolSize: PlaneSize { stemSize.halved }
    /// Output size of stage 4 and conv5.
    public var finalSize: PlaneSize { units.last?.outputSize ?? poolSize }

    /// All 16 units in execution order.
    public var units: [ShuffleNetV2Unit] {
        UnitPosition.all(stemChannels: widths[0], stageWidths: Array(widths[1...3]), poolSize: poolSize)
    }
}

/// One ShuffleNet v2 unit: where it sits, and the half of its output each branch computes.
public typealias ShuffleNetV2Unit = UnitPosition

extension UnitPosition {
    /// `stage3.unit2`.
    public var name: String { "stage\(stage).unit\(index)" }
    /// Half the output: what each v2 branch produces (torchvision), and the channels passed through.
    public var half: Int { outputChannels / 2 }
}
