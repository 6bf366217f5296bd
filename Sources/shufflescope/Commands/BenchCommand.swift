import ArgumentParser
import Dispatch
import Foundation
import ShuffleEngine
import ShuffleModel

/// `shufflescope bench`: end-to-end latency of the fast path (nothing kept between steps).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the whole forward pass on the fast path and print min / median / max.",
        discussion: "Uses the bundled photo as input. Release builds only give meaningful figures."
    )

    @OptionGroup var model: ModelOptions
    @OptionGroup var timing: TimingOptions

    @Option(help: "Output format: table or json.")
    var format: String = "table"

    @Flag(help: "Time inspect mode instead: step by step, every step's output kept (what the inspector runs).")
    var keepOutputs = false

    func run() throws {
        try reportingFailures(of: "bench") {
            guard ["table", "json"].contains(format.lowercased()) else {
                throw UsageError("unknown format '\(format)'; use table or json")
            }
            try timing.check()
            let (network, input) = try timing.load(model)
            let seconds: [Double]
            if keepOutputs {
                let executor = try Executor(graph: network.graph, input: input, threads: timing.threads)
                seconds = Self.measure(executor, runs: timing.runs, warmup: timing.warmup)
            } else {
                let pass = try ForwardPass(graph: network.graph, threads: timing.threads)
                seconds = Self.measure(pass, input: input, runs: timing.runs, warmup: timing.warmup)
            }
            let mode = keepOutputs ? "inspect" : "fast"
            let spread = Spread(seconds)
            let macs = network.graph.totalMultiplyAdds
            if format.lowercased() == "json" {
                emit(
                    "{\"model\":\(JSONText.quote(network.configuration.description)),"
                        + "\"weights\":\(JSONText.quote(network.weightsDescription)),"
                        + "\"mode\":\"\(mode)\",\"input_size\":\(timing.inputSize),\"threads\":\(timing.threads),\"runs\":\(timing.runs),"
                        + "\"warmup\":\(timing.warmup),\"median_ms\":\(JSONText.number(spread.median * 1000)),"
                        + "\"min_ms\":\(JSONText.number(spread.minimum * 1000)),\"max_ms\":\(JSONText.number(spread.maximum * 1000)),"
                        + "\"mean_ms\":\(JSONText.number(spread.mean * 1000)),\"macs\":\(macs),"
                        + "\"gmacs_per_s\":\(JSONText.number(Double(macs) / spread.median / 1e9))}\n")
            } else {
                emit(
                    """
                    model:   \(network.configuration)
                    weights: \(network.weightsDescription)
                    mode:    \(keepOutputs ? "inspect (every step's output kept)" : "fast path (steps fused, buffers reused)")
                    threads: \(timing.threads), runs: \(timing.runs) after \(timing.warmup) warm-up
                    latency: median \(Self.ms(spread.median))  min \(Self.ms(spread.minimum))  max \(Self.ms(spread.maximum))  mean \(Self.ms(spread.mean))
                    speed:   \(String(format: "%.1f", Double(macs) / spread.median / 1e9)) GMAC/s at the median (\(macs) multiply-adds)

                    """)
            }
        }
    }

    /// Wall time of each measured run, seconds.
    static func measure(_ pass: ForwardPass, input: Tensor, runs: Int, warmup: Int) -> [Double] {
        input.storage.withUnsafeBufferPointer { buffer -> [Double] in
            guard let base = buffer.baseAddress else { return [] }
            for _ in 0..<warmup { _ = pass.run(input: base) }
            var seconds: [Double] = []
            seconds.reserveCapacity(runs)
            for _ in 0..<runs {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = pass.run(input: base)
                seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            return seconds
        }
    }

    /// Wall time of each measured step-by-step pass, seconds.
    static func measure(_ executor: Executor, runs: Int, warmup: Int) -> [Double] {
        var seconds: [Double] = []
        seconds.reserveCapacity(runs)
        for run in 0..<(warmup + runs) {
            try? executor.reset()
            let start = DispatchTime.now().uptimeNanoseconds
            executor.runToEnd()
            if run >= warmup { seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
        }
        return seconds
    }

    static func ms(_ seconds: Double) -> String { String(format: "%.3f ms", seconds * 1000) }
}
