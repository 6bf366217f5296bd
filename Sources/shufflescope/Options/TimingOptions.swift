import ArgumentParser
import Foundation
import ShuffleEngine
import ShuffleModel

/// Options shared by the timing commands (`bench`, `profile`).
struct TimingOptions: ParsableArguments {
    @Option(name: .customLong("input-size"), help: "Side of the square input in pixels.")
    var inputSize: Int = 224

    @Option(help: "Measured runs.")
    var runs: Int = 100

    @Option(help: "Runs before measuring, not counted.")
    var warmup: Int = 10

    @Option(name: .customLong("threads"), help: "Threads the kernels use (default: every core).")
    var threadsOption: Int?

    /// The threads asked for, or every core.
    var threads: Int { threadsOption ?? ProcessInfo.processInfo.activeProcessorCount }

    func validate() throws {
        guard runs >= 1 else { throw UsageError("--runs must be at least 1, not \(runs)") }
        guard warmup >= 0 else { throw UsageError("--warmup must not be negative, not \(warmup)") }
        guard (1...256).contains(threads) else { throw UsageError("--threads must be 1…256, not \(threads)") }
    }

    /// The model for a square input, and the bundled photo prepared for it.
    func load(_ model: ModelOptions) throws -> (any ShuffleNetwork, Tensor) {
        let loaded = try model.load(inputSize: PlaneSize(inputSize))
        let preparation = loaded.preparation
        let input = try InputLoader.loadDefault(
            preprocessing: preparation.preprocessing, size: inputSize,
            resizeShortSide: preparation.resizeShortSide(forCrop: inputSize))
        return (loaded, input)
    }
}

/// Minimum, median and maximum of a sample.
struct Spread {
    var minimum: Double
    var median: Double
    var maximum: Double
    var mean: Double

    init(_ values: [Double]) {
        minimum = values.min() ?? 0
        maximum = values.max() ?? 0
        median = ProfileReport.median(values)
        mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }
}
