extension ShuffleNetWeights {
    /// Deterministic untrained weights for `configuration` (see `NetworkSpec.seeded(seed:)` and
    /// `ShuffleNetConfiguration.spec` for the scaling), marked untrained in their metadata.
    public static func seeded(configuration: ShuffleNetConfiguration, seed: UInt64 = defaultSeed) -> ShuffleNetWeights {
        let checkpoint = configuration.spec.seeded(seed: seed)
        // The tensors were made from the configuration's own spec, so they always check.
        guard let weights = try? ShuffleNetWeights(checkpoint: checkpoint) else {
            preconditionFailure("seeded weights of \(configuration) do not fit their own layout")
        }
        return weights
    }
}
