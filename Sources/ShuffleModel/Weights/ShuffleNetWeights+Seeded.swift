extension ShuffleNetWeights {
    /// The seed `seeded(configuration:)` uses unless told otherwise.
    public static let defaultSeed: UInt64 = 0x5348_5546_464C_4531

    /// Deterministic untrained weights that keep activations well scaled through all 16 units
    /// for inputs in the authors' preprocessing (BGR, 0–255):
    /// - convolutions: uniform with He scaling, `std = √(2 / fan_in)`, where a ReLU follows or
    ///   precedes the conv (conv1, pw1, dw); `√(1 / fan_in)` for pw2, whose input is not rectified
    ///   (uniform rather than normal because it costs one draw per weight);
    /// - batch norms near identity (γ ≈ 1, β, mean ≈ 0, var ≈ 1, each jittered by ~10 % so
    ///   folding is exercised), except pw2's γ ≈ 0.5, so each residual add grows the variance
    ///   by ~1.25 instead of 2 (2⁷ over stage 3's seven adds would swamp any heatmap's scale);
    /// - conv1's weights are further divided by 255, so a 0–255 input gives unit-scale maps (kept
    ///   out of its batch norm, whose variance would otherwise overflow an F16 export);
    /// - classifier: `std = √(1 / stage4)`.
    /// They are marked untrained in their metadata, which survives `write(to:)`.
    public static func seeded(configuration: ShuffleNetConfiguration, seed: UInt64 = defaultSeed) -> ShuffleNetWeights {
        var generator = SeededGenerator(seed: seed)
        var tensors: [String: ParameterTensor] = [:]
        func convolution(
            _ keys: CheckpointLayout.ConvolutionKeys, _ shape: [Int], gain: Double, gamma: Double,
            inputScale: Double = 1
        ) {
            let fanIn = Double(shape.dropFirst().reduce(1, *))
            tensors[keys.weight] = ParameterTensor(
                shape: shape,
                values: uniformValues(shape.reduce(1, *), std: (gain / fanIn).squareRoot() / inputScale, &generator))
            let channels = shape[0]
            func vector(_ make: (inout SeededGenerator) -> Double) -> ParameterTensor {
                ParameterTensor(shape: [channels], values: (0..<channels).map { _ in Float(make(&generator)) })
            }
            tensors[keys.batchNorm("weight")] = vector { gamma * $0.uniform(0.9, 1.1) }
            tensors[keys.batchNorm("bias")] = vector { $0.uniform(-0.1, 0.1) }
            tensors[keys.batchNorm("running_mean")] = vector { $0.uniform(-0.1, 0.1) }
            tensors[keys.batchNorm("running_var")] = vector { $0.uniform(0.8, 1.25) }
        }
        convolution(CheckpointLayout.stem, [configuration.widths[0], 3, 3, 3], gain: 2, gamma: 1, inputScale: 255)
        for layout in configuration.units {
            let keys = CheckpointLayout.unit(layout.feature)
            let mid = layout.bottleneckChannels
            convolution(
                keys.pointwise1, [mid, layout.inputChannels / layout.pointwise1Groups, 1, 1], gain: 2, gamma: 1)
            convolution(keys.depthwise, [mid, 1, 3, 3], gain: 2, gamma: 1)
            convolution(keys.pointwise2, [layout.branchOutputChannels, mid / layout.groups, 1, 1], gain: 1, gamma: 0.5)
        }
        let features = configuration.widths[3]
        tensors[CheckpointLayout.classifierKey] = ParameterTensor(
            shape: [configuration.classes, features],
            values: uniformValues(
                configuration.classes * features, std: (1 / Double(features)).squareRoot(), &generator))
        let standard = try? ShuffleNetConfiguration.standardWidths(groups: configuration.groups, width: configuration.width)
        let architecture = CheckpointInference.Architecture(
            groups: configuration.groups, widths: configuration.widths, classes: configuration.classes,
            width: configuration.width, isStandard: configuration.widths == standard)
        return ShuffleNetWeights(
            checked: architecture, origin: "seeded weights", tensors: tensors,
            metadata: [originMetadataKey: seededMarker, "shufflescope.seed": String(seed)])
    }

    /// `count` draws from the zero-mean uniform distribution with standard deviation `std`,
    /// i.e. on `[−√3·std, √3·std)`.
    private static func uniformValues(_ count: Int, std: Double, _ generator: inout SeededGenerator) -> [Float] {
        let halfWidth = 3.0.squareRoot() * std
        var values = [Float](repeating: 0, count: count)
        for index in 0..<count {
            values[index] = Float(halfWidth * (2 * generator.unit() - 1))
        }
        return values
    }
}
