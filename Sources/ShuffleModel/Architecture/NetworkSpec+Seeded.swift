import ShuffleEngine

extension NetworkSpec {
    /// The seed seeded weights use unless told otherwise.
    public static let defaultSeed: UInt64 = 0x5348_5546_464C_4531

    /// Deterministic untrained weights that keep activations well scaled through the network
    /// for inputs in the authors' preprocessing (BGR, 0–255), drawn in network order:
    /// - convolutions: uniform with He scaling, `std = √(gain / fan_in) / inputScale`
    ///   (uniform rather than normal because it costs one draw per weight);
    /// - batch norms near identity (γ ≈ `gamma`, β, mean ≈ 0, var ≈ 1, each jittered by ~10 % so
    ///   folding is exercised);
    /// - classifier: `std = √(1 / features)`, bias (if any) zero.
    /// They are marked untrained in their metadata, which survives export.
    public func seeded(seed: UInt64 = defaultSeed) -> CheckpointTensors {
        var generator = SplitMix64(seed: seed)
        var tensors: [String: ParameterTensor] = [:]
        for spec in convolutions {
            let shape = spec.weightShape
            let fanIn = Double(shape.dropFirst().reduce(1, *))
            let std = (spec.seeding.gain / fanIn).squareRoot() / spec.seeding.inputScale
            tensors[spec.weightKey] = ParameterTensor(
                shape: shape, values: Self.uniformValues(shape.reduce(1, *), std: std, &generator))
            let channels = spec.outputChannels
            func vector(_ make: (inout SplitMix64) -> Double) -> ParameterTensor {
                ParameterTensor(shape: [channels], values: (0..<channels).map { _ in Float(make(&generator)) })
            }
            let gamma = spec.seeding.gamma
            tensors[spec.batchNormKey("weight")] = vector { gamma * $0.uniform(0.9, 1.1) }
            tensors[spec.batchNormKey("bias")] = vector { $0.uniform(-0.1, 0.1) }
            tensors[spec.batchNormKey("running_mean")] = vector { $0.uniform(-0.1, 0.1) }
            tensors[spec.batchNormKey("running_var")] = vector { $0.uniform(0.8, 1.25) }
        }
        let features = classifier.inputFeatures, classes = classifier.classes
        tensors[classifier.weightKey] = ParameterTensor(
            shape: [classes, features],
            values: Self.uniformValues(classes * features, std: (1 / Double(features)).squareRoot(), &generator))
        if classifier.hasBias {
            tensors[classifier.biasKey] = ParameterTensor(shape: [classes], values: [Float](repeating: 0, count: classes))
        }
        let metadata = [
            CheckpointTensors.originMetadataKey: CheckpointTensors.seededMarker, "shufflescope.seed": String(seed),
        ]
        // Every shape was made from the spec, so the value counts match.
        return (try? CheckpointTensors(origin: "seeded weights", tensors: tensors, metadata: metadata))
            ?? Self.unreachable()
    }

    private static func unreachable() -> CheckpointTensors {
        preconditionFailure("seeded tensors are built from their own shapes")
    }

    /// `count` draws from the zero-mean uniform distribution with standard deviation `std`,
    /// i.e. on `[−√3·std, √3·std)`.
    private static func uniformValues(_ count: Int, std: Double, _ generator: inout SplitMix64) -> [Float] {
        let halfWidth = 3.0.squareRoot() * std
        var values = [Float](repeating: 0, count: count)
        for index in 0..<count {
            values[index] = Float(halfWidth * (2 * generator.unit() - 1))
        }
        return values
    }
}
