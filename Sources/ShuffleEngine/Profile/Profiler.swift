import Dispatch

/// Times every step of a graph over repeated forward passes and summarises them as a
/// `ProfileReport`. Shared by `shufflescope profile` and the inspector's profile view.
///
/// Passes run on a `ForwardPass` planned with `fuses: false`: the same kernels, threads and
/// preallocated buffers as the fast path, but one timed step per graph node. Each measured round
/// runs the pass twice, once recording step times and once not, so the report can state the
/// unattributed time (wall time minus the sum of step times) and what per-step timing costs.
///
/// Work can be done all at once (`run()`) or in slices of whole passes (`advance(budgetSeconds:)`)
/// for an interactive program that must stay responsive.
///
/// ```swift
/// let profiler = try Profiler(graph: graph, input: image, passes: 20, threads: 2)
/// let report = profiler.run()
/// print(report.passMedian, report.unattributedSeconds, report.categories.map(\.timeShare))
/// ```
public final class Profiler {
    public let graph: Graph
    /// Measured rounds (after the warm-up).
    public let passes: Int
    /// Passes run first and thrown away (caches, page faults, lazy allocation).
    public let warmupPasses: Int
    /// Step durations of finished measured passes: `samples[pass][node]`, seconds.
    public private(set) var samples: [[Double]] = []
    /// Wall time of each measured pass that recorded step times, seconds.
    public private(set) var timedPassSeconds: [Double] = []
    /// Wall time of each measured pass run without step timing, seconds.
    public private(set) var untimedPassSeconds: [Double] = []
    /// Warm-up passes finished so far.
    public private(set) var completedWarmupPasses = 0
    private let pass: ForwardPass
    private let input: Tensor

    /// - Parameters:
    ///   - input: the graph's input, `graph.inputShape`.
    ///   - passes: measured rounds (at least 1).
    ///   - warmupPasses: passes run before measuring and not counted.
    ///   - threads: threads the kernels use (1 runs on the caller's thread).
    public init(graph: Graph, input: Tensor, passes: Int, warmupPasses: Int = 1, threads: Int = 1) throws(ExecutionError) {
        guard input.shape == graph.inputShape else {
            throw ExecutionError("input shape \(input.shape) does not match the network's \(graph.inputShape)")
        }
        self.graph = graph
        self.input = input
        self.passes = max(1, passes)
        self.warmupPasses = max(0, warmupPasses)
        self.pass = try ForwardPass(graph: graph, threads: max(1, threads), fuses: false)
    }

    /// True once every warm-up and measured pass has run.
    public var isFinished: Bool { samples.count >= passes }

    /// Measured rounds finished so far.
    public var completedPasses: Int { samples.count }

    /// Fraction of all work (warm-up included) done, 0...1.
    public var progress: Double {
        let total = Double(passes + warmupPasses)
        return min(1, Double(completedWarmupPasses + samples.count) / total)
    }

    /// Statistics of the measured passes so far, or nil before the first one finishes.
    public var report: ProfileReport? {
        samples.isEmpty
            ? nil
            : ProfileReport(graph: graph, samples: samples, timedPassSeconds: timedPassSeconds,
                            untimedPassSeconds: untimedPassSeconds)
    }

    /// Runs passes until `budgetSeconds` of wall time have gone by (at least one pass) or all
    /// passes are done. Returns true if any pass ran.
    @discardableResult
    public func advance(budgetSeconds: Double) -> Bool {
        guard !isFinished else { return false }
        let start = DispatchTime.now().uptimeNanoseconds
        repeat {
            runOneRound()
        } while !isFinished && Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < budgetSeconds
        return true
    }

    /// Runs every remaining pass and returns the statistics.
    public func run() -> ProfileReport {
        while !isFinished { runOneRound() }
        return ProfileReport(
            graph: graph, samples: samples, timedPassSeconds: timedPassSeconds, untimedPassSeconds: untimedPassSeconds)
    }

    /// One warm-up pass, or one measured round (a timed pass and an untimed one).
    private func runOneRound() {
        if completedWarmupPasses < warmupPasses {
            _ = timedRun(recordingSteps: true)
            completedWarmupPasses += 1
            return
        }
        // Alternate which of the two runs first, so neither always gets the warmer cache.
        let timedFirst = samples.count % 2 == 0
        if !timedFirst { untimedPassSeconds.append(timedRun(recordingSteps: false)) }
        timedPassSeconds.append(timedRun(recordingSteps: true))
        samples.append(stepDurationsPerNode())
        if timedFirst { untimedPassSeconds.append(timedRun(recordingSteps: false)) }
    }

    private func timedRun(recordingSteps: Bool) -> Double {
        pass.recordsStepTimes = recordingSteps
        let start = DispatchTime.now().uptimeNanoseconds
        input.storage.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { _ = pass.run(input: base) }
        }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// The last timed pass's durations, one per graph node (a step that computed several nodes,
    /// which `fuses: false` never plans, would be charged to its first node).
    private func stepDurationsPerNode() -> [Double] {
        var perNode = Array(repeating: 0.0, count: graph.nodes.count)
        for (step, nodes) in pass.stepNodes.enumerated() {
            if let first = nodes.first { perNode[first] += pass.stepSeconds[step] }
        }
        return perNode
    }
}
