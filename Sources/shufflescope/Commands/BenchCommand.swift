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

    @Option(help: "Images per pass (the bundled photo repeated); times are for the whole batch.")
    var batch: Int = 1

    func run() throws {
        try reportingFailures(of: "bench") {
            guard ["table", "json"].contains(format.lowercased()) else {
                throw UsageError("unknown format '\(format)'; use table or json")
            }
            try timing.validate()
            guard (1...256).contains(batch) else { throw UsageError("--batch must be 1…256, not \(batch)") }
            let (network, image) = try timing.load(model)
            let graph = batch == 1 ? network.graph : try network.graph(batchSize: batch)
            let input = Self.repeated(image, batch)
            let seconds: Samples
            if keepOutputs {
                let executor = try Executor(graph: graph, input: input, threads: timing.threads)
                seconds = Self.timed(executor, runs: timing.runs, warmup: timing.warmup)
            } else {
                let pass = try ForwardPass(graph: graph, threads: timing.threads)
                seconds = Self.timed(pass, input: input, runs: timing.runs, warmup: timing.warmup)
            }
            let mode = keepOutputs ? "inspect" : "fast"
            let spread = Spread(seconds.wall)
            // The calling thread's CPU time: on one thread, the pass's own time, which a busy
            // machine disturbs far less than the wall clock (time spent descheduled is not counted).
            let cpu = Spread(seconds.cpu)
            let macs = graph.totalMultiplyAdds
            let kernels = InstructionSet.selected
            let peakMegabytes = PeakMemory.residentMegabytes()
            if format.lowercased() == "json" {
                emit(
                    "{\"model\":\(network.json),"
                        + "\"mode\":\"\(mode)\",\"input_size\":\(timing.inputSize),\"threads\":\(timing.threads),\"runs\":\(timing.runs),"
                        + "\"warmup\":\(timing.warmup),\"median_ms\":\(JSONText.number(spread.median * 1000)),"
                        + "\"min_ms\":\(JSONText.number(spread.minimum * 1000)),\"max_ms\":\(JSONText.number(spread.maximum * 1000)),"
                        + "\"mean_ms\":\(JSONText.number(spread.mean * 1000)),\"macs\":\(macs),"
                        + "\"gmacs_per_s\":\(JSONText.number(Double(macs) / spread.median / 1e9)),"
                        + "\"cpu_median_ms\":\(JSONText.number(cpu.median * 1000)),\"cpu_min_ms\":\(JSONText.number(cpu.minimum * 1000)),"
                        + "\"batch\":\(batch),\"kernels\":\"\(kernels)\",\"peak_rss_mb\":\(JSONText.number(peakMegabytes))}\n")
            } else {
                emit(
                    """
                    model:   \(network.configurationDescription)
                    weights: \(network.weightsDescription)
                    mode:    \(keepOutputs ? "inspect (every step's output kept)" : "fast path (steps fused, buffers reused)")
                    threads: \(timing.threads), runs: \(timing.runs) after \(timing.warmup) warm-up, batch \(batch)
                    kernels: \(kernels) (this CPU runs \(InstructionSet.available.map(\.rawValue).joined(separator: ", ")))
                    latency: median \(Self.ms(spread.median))  min \(Self.ms(spread.minimum))  max \(Self.ms(spread.maximum))  mean \(Self.ms(spread.mean))
                    cpu:     median \(Self.ms(cpu.median))  min \(Self.ms(cpu.minimum)) (the calling thread's CPU time per pass)
                    speed:   \(String(format: "%.1f", Double(macs) / spread.median / 1e9)) GMAC/s at the median (\(macs) multiply-adds)
                    memory:  peak resident \(String(format: "%.1f", peakMegabytes)) MB (the whole process)

                    """)
            }
        }
    }

    /// `image` (`[1, c, h, w]`) repeated `count` times along the batch.
    static func repeated(_ image: Tensor, _ count: Int) -> Tensor {
        guard count > 1 else { return image }
        let shape = Shape(n: count, c: image.shape.c, h: image.shape.h, w: image.shape.w)
        return Tensor(shape: shape, storage: Array([[Float]](repeating: image.storage, count: count).joined()))
    }

    /// Wall time of each measured run, seconds.
    static func measure(_ pass: ForwardPass, input: Tensor, runs: Int, warmup: Int) -> [Double] {
        timed(pass, input: input, runs: runs, warmup: warmup).wall
    }

    /// Wall and CPU time of each measured run, seconds.
    static func timed(_ pass: ForwardPass, input: Tensor, runs: Int, warmup: Int) -> Samples {
        input.storage.withUnsafeBufferPointer { buffer -> Samples in
            var samples = Samples(capacity: runs)
            guard let base = buffer.baseAddress else { return samples }
            for _ in 0..<warmup { _ = pass.run(input: base) }
            for _ in 0..<runs {
                let start = Samples.now()
                _ = pass.run(input: base)
                samples.record(since: start)
            }
            return samples
        }
    }

    /// Wall and CPU time of each measured step-by-step pass, seconds.
    static func timed(_ executor: Executor, runs: Int, warmup: Int) -> Samples {
        var samples = Samples(capacity: runs)
        for run in 0..<(warmup + runs) {
            try? executor.reset()
            let start = Samples.now()
            executor.runToEnd()
            if run >= warmup { samples.record(since: start) }
        }
        return samples
    }

    static func ms(_ seconds: Double) -> String { String(format: "%.3f ms", seconds * 1000) }
}

/// The process's peak resident memory (`getrusage`'s `ru_maxrss`, kilobytes on Linux).
enum PeakMemory {
    static func residentMegabytes() -> Double {
        var usage = rusage()
        guard getrusage(Int32(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
        return Double(usage.ru_maxrss) / 1024
    }
}

/// Wall time and the calling thread's CPU time of each measured run, seconds.
struct Samples {
    var wall: [Double] = []
    var cpu: [Double] = []

    init(capacity: Int) {
        wall.reserveCapacity(capacity)
        cpu.reserveCapacity(capacity)
    }

    /// Both clocks, nanoseconds.
    static func now() -> (wall: UInt64, cpu: UInt64) {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return (DispatchTime.now().uptimeNanoseconds, UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec))
    }

    mutating func record(since start: (wall: UInt64, cpu: UInt64)) {
        let end = Self.now()
        wall.append(Double(end.wall - start.wall) / 1e9)
        cpu.append(Double(end.cpu &- start.cpu) / 1e9)
    }
}
