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
        let folded = try configuration.spec.folded(try weights.checkpoint)
        stem = folded(configuration.spec.convolutions[0])
        units = configuration.units.map { layout in
            let keys = CheckpointLayout.unit(layout.feature)
            func convolution(_ module: CheckpointLayout.ConvolutionKeys) -> Convolution {
                folded.convolutions[module.convolution] ?? Self.unfolded(module.convolution)
            }
            return ShuffleUnitParameters(
                layout: layout, pointwise1: convolution(keys.pointwise1), depthwise: convolution(keys.depthwise),
                pointwise2: convolution(keys.pointwise2))
        }
        classifier = folded.classifier
        self.configuration = configuration
        self.origin = weights.origin
        self.isTrained = weights.isTrained
    }

    private static func unfolded(_ module: String) -> Convolution {
        preconditionFailure("\(module) is in the configuration's layout but was not folded")
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
