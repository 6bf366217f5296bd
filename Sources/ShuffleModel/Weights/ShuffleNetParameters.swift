import ShuffleEngine

/// The three convolutions of one unit, batch norm folded in.
public struct ShuffleUnitParameters: Sendable {
    public let layout: ShuffleUnitLayout
    /// 1×1, `pointwise1Groups` groups, ReLU. Weight `[mid, inputChannels / pointwise1Groups, 1, 1]`.
    public let pointwise1: Convolution
    /// 3×3 depthwise, stride `layout.stride`, no ReLU, channels in the authors' order (their
    /// shuffle comes after it). Weight `[mid, 1, 3, 3]`.
    public let depthwise: Convolution
    /// 1×1, `groups` groups, no ReLU. Weight `[branchOutputChannels, mid / groups, 1, 1]`.
    public let pointwise2: Convolution
}

/// A network's weights ready to run: every batch norm folded into its convolution.
public struct ShuffleNetParameters: Sendable {
    /// Changes only in shuffle convention or input size after the weights are folded.
    public internal(set) var configuration: ShuffleNetConfiguration
    /// Where the weights came from (file path or seeded label).
    public let origin: String
    public let isTrained: Bool
    /// conv1: 3×3, stride 2, padding 1, ReLU. Weight `[conv1, 3, 3, 3]`.
    public let stem: Convolution
    /// The 16 units in order.
    public let units: [ShuffleUnitParameters]
    /// Weight `[classes, stage4]`, zero bias (the authors' classifier has none).
    public let classifier: Linear

    /// Checks every value (finite, variances non-negative) and folds the batch norms.
    /// `configuration` must describe the same architecture as `weights`.
    public init(weights: ShuffleNetWeights, configuration: ShuffleNetConfiguration) throws(WeightsError) {
        guard configuration.groups == weights.groups, configuration.widths == weights.widths,
            configuration.classes == weights.classes
        else {
            throw .configurationMismatch(
                file: weights.origin, requested: configuration.description, found: weights.architectureDescription)
        }
        try Self.checkValues(weights)
        let layouts = configuration.units
        func convolution(
            _ keys: CheckpointLayout.ConvolutionKeys, input: Int, output: Int, kernel: Int, stride: Int, groups: Int,
            relu: Bool
        ) throws(WeightsError) -> Convolution {
            let field = { (name: String) throws(WeightsError) -> [Float] in
                try weights.tensor(keys.batchNorm(name)).values
            }
            let folded = BatchNormFolding.fold(
                weight: try weights.tensor(keys.weight).values, gamma: try field("weight"), beta: try field("bias"),
                mean: try field("running_mean"), variance: try field("running_var"))
            return Convolution(
                inputChannels: input, outputChannels: output, kernelSize: kernel, stride: stride, padding: kernel / 2,
                groups: groups, relu: relu, weight: folded.weight, bias: folded.bias)
        }
        stem = try convolution(
            CheckpointLayout.stem, input: 3, output: configuration.widths[0], kernel: 3, stride: 2, groups: 1,
            relu: true)
        var units: [ShuffleUnitParameters] = []
        for layout in layouts {
            let keys = CheckpointLayout.unit(layout.feature)
            let mid = layout.bottleneckChannels
            units.append(
                ShuffleUnitParameters(
                    layout: layout,
                    pointwise1: try convolution(
                        keys.pointwise1, input: layout.inputChannels, output: mid, kernel: 1, stride: 1,
                        groups: layout.pointwise1Groups, relu: true),
                    depthwise: try convolution(
                        keys.depthwise, input: mid, output: mid, kernel: 3, stride: layout.stride, groups: mid,
                        relu: false),
                    pointwise2: try convolution(
                        keys.pointwise2, input: mid, output: layout.branchOutputChannels, kernel: 1, stride: 1,
                        groups: layout.groups, relu: false)))
        }
        self.units = units
        let classifierWeight = try weights.tensor(CheckpointLayout.classifierKey).values
        classifier = Linear(
            inputFeatures: configuration.widths[3], outputFeatures: configuration.classes, weight: classifierWeight,
            bias: [Float](repeating: 0, count: configuration.classes))
        self.configuration = configuration
        self.origin = weights.origin
        self.isTrained = weights.isTrained
    }

    /// Rejects NaN and ±Inf anywhere, and negative running variances (key order, first hit).
    private static func checkValues(_ weights: ShuffleNetWeights) throws(WeightsError) {
        for key in CheckpointLayout.keys {
            let values = try weights.tensor(key).values
            if let index = values.firstIndex(where: { !$0.isFinite }) {
                throw .nonFiniteValue(file: weights.origin, key: key, index: index, value: values[index])
            }
            if key.hasSuffix(".running_var"), let index = values.firstIndex(where: { $0 < 0 }) {
                throw .negativeVariance(file: weights.origin, key: key, index: index, value: values[index])
            }
        }
    }
}

extension ShuffleNetParameters {
    /// The same parameters under a configuration that differs only in input size or shuffle.
    func with(configuration newConfiguration: ShuffleNetConfiguration) -> ShuffleNetParameters {
        var copy = self
        copy.configuration = newConfiguration
        return copy
    }
}
