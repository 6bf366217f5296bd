import ShuffleEngine

@testable import ShuffleModel

/// Seeded networks and the helpers that run and compare them.
enum NetworkFixtures {
    /// Seeded parameters for a configuration (the same path `ShuffleNetModel.load` takes).
    static func seededParameters(
        _ configuration: ShuffleNetConfiguration, seed: UInt64 = ShuffleNetWeights.defaultSeed
    ) throws -> ShuffleNetParameters {
        try ShuffleNetParameters(
            weights: .seeded(configuration: configuration, seed: seed), configuration: configuration)
    }

    /// A reproducible input with values in the authors' range, 0–255.
    static func seededImage(_ shape: Shape, seed: UInt64 = 42) -> Tensor {
        var generator = SplitMix64(seed: seed)
        return Tensor(shape: shape, storage: (0..<shape.count).map { _ in Float(generator.uniform(0, 255)) })
    }

    /// Runs every step and returns every node's output.
    static func runAll(_ graph: Graph, _ input: Tensor) throws -> [Tensor] {
        let executor = try Executor(graph: graph, input: input)
        executor.runToEnd()
        return executor.outputs.compactMap { $0 }
    }

    /// Largest absolute difference, scaled by the larger magnitude when above 1.
    static func relativeDifference(_ a: Tensor, _ b: Tensor) -> Float {
        guard a.shape == b.shape else { return .infinity }
        let scale = max(1, a.storage.map(abs).max() ?? 0)
        return zip(a.storage, b.storage).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
    }

    static func standardDeviation(_ values: [Float]) -> Double {
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count)
        return variance.squareRoot()
    }
}
