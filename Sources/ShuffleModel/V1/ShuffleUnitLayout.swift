/// Channels, groups and spatial sizes of one ShuffleNet unit.
///
/// Stride 1: `x → pw1 (g-group 1×1, BN, ReLU) → shuffle → dw (3×3, BN) → pw2 (g-group 1×1, BN)`,
/// then `ReLU(x + branch)`. Stride 2: the depthwise conv has stride 2, pw2 outputs only
/// `out − in` channels, and the result is `ReLU(concat(avgpool3×3/2(x), branch))`.
public struct ShuffleUnitLayout: Sendable, Equatable {
    /// Stage number as in the paper: 2, 3 or 4.
    public let stage: Int
    /// Position within the stage, from 1.
    public let index: Int
    /// Position among all units, 0…15: the `features.N` of the authors' checkpoint.
    public let feature: Int
    public let stride: Int
    public let inputChannels: Int
    public let outputChannels: Int
    /// `outputChannels / 4`.
    public let bottleneckChannels: Int
    /// Channels pw2 produces: `outputChannels − inputChannels` at stride 2, else `outputChannels`.
    public let branchOutputChannels: Int
    /// Groups of pw1: 1 for stage 2's first unit, whose 24-channel input is too thin to split.
    public let pointwise1Groups: Int
    /// Groups of pw2 and of the channel shuffle.
    public let groups: Int
    /// Spatial size of the unit's input.
    public let inputSize: PlaneSize
    /// Spatial size of the unit's output.
    public let outputSize: PlaneSize

    /// `stage3.unit2`.
    public var name: String { "stage\(stage).unit\(index)" }
    /// `features.5`.
    public var source: String { "features.\(feature)" }
}

extension ShuffleNetConfiguration {
    /// Output size of a 3×3, stride-2, padding-1 window (conv1, the max pool, every stride-2 unit).
    static func halved(_ size: Int) -> Int { (size - 1) / 2 + 1 }

    /// Output size of conv1.
    public var stemSize: PlaneSize { inputSize.halved }
    /// Output size of the max pool, the input of stage 2.
    public var poolSize: PlaneSize { stemSize.halved }
    /// Output size of stage 4, the plane the head averages.
    public var finalSize: PlaneSize { units.last?.outputSize ?? poolSize }

    /// All 16 units in execution order.
    public var units: [ShuffleUnitLayout] {
        UnitPosition.all(stemChannels: widths[0], stageWidths: Array(widths[1...3]), poolSize: poolSize).map { unit in
            ShuffleUnitLayout(
                stage: unit.stage, index: unit.index, feature: unit.feature, stride: unit.stride,
                inputChannels: unit.inputChannels, outputChannels: unit.outputChannels,
                bottleneckChannels: unit.outputChannels / 4,
                branchOutputChannels: unit.stride == 2 ? unit.outputChannels - unit.inputChannels : unit.outputChannels,
                pointwise1Groups: unit.feature == 0 ? 1 : groups, groups: groups,
                inputSize: unit.inputSize, outputSize: unit.outputSize)
        }
    }

    /// The smallest input for which every stride-2 layer halves a map of at least 2×2.
    public static let minimumInputSize: Int = {
        var size = 1
        while stride2InputSizes(size).contains(where: { $0.size < 2 }) { size += 1 }
        return size
    }()

    /// Input sizes of the five stride-2 layers, named for messages.
    static func stride2InputSizes(_ inputSize: Int) -> [(layer: String, size: Int)] {
        let names = ["conv1", "the max pool", "stage 2's first unit", "stage 3's first unit", "stage 4's first unit"]
        var size = inputSize
        var result: [(layer: String, size: Int)] = []
        for name in names {
            result.append((name, size))
            size = halved(size)
        }
        return result
    }

    static func checkInputSize(_ inputSize: PlaneSize) throws(ConfigurationError) {
        guard inputSize.longSide <= maximumInputSize else {
            throw .inputTooLarge(size: inputSize, maximum: maximumInputSize)
        }
        if let failing = stride2InputSizes(inputSize.shortSide).first(where: { $0.size < 2 }) {
            throw .inputTooSmall(size: inputSize, minimum: minimumInputSize, layer: failing.layer)
        }
    }
}
