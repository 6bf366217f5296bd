import Foundation

/// Times every step of a graph over repeated forward passes, using only the executor's public
/// stepping API, and summarises the durations as a `ProfileReport`.
///
/// Work can be done all at once (`run()`, for the command line) or in small slices
/// (`advance(budgetSeconds:)`, for an interactive program that must stay responsive). A pass's
/// time is the sum of its steps' durations, so slicing a pass across calls does not change it.
///
/// ```swift
/// let profiler = try Profiler(graph: graph, input: image, passes: 20)
/// let report = profiler.run()
/// print(report.passMedian, report.categories.map(\.timeShare))
/// ```
public final class Profiler {
    public let graph: Graph
    /// Passes whose durations count (after the warm-up passes).
    public let passes: Int
    /// Passes run first and thrown away (caches, page faults, lazy allocation).
    public let warmupPasses: Int
    /// Durations of finished measured passes: `samples[pass][step]`, seconds.
    public private(set) var samples: [[Double]] = []
    /// Warm-up passes finished so far.
    public private(set) var completedWarmupPasses = 0
    private let executor: Executor

    /// - Parameters:
    ///   - input: the graph's input, `graph.inputShape`.
    ///   - passes: measured passes (at least 1).
    ///   - warmupPasses: passes run before measuring and not counted.
    public init(graph: Graph, input: Tensor, passes: Int, warmupPasses: Int = 1) throws(ExecutionError) {
        self.graph = graph
        self.passes = max(1, passes)
        self.warmupPasses = max(0, warmupPasses)
        self.executor = try Executor(graph: graph, input: input)
    }

    /// True once every warm-up and measured pass has run.
    public var isFinished: Bool { samples.count >= passes }

    /// Measured passes finished so far.
    public var completedPasses: Int { samples.count }

    /// Fraction of all work (warm-up included) done, 0...1.
    public var progress: Double {
        let stepsPerPass = max(1, graph.nodes.count)
        let total = Double((passes + warmupPasses) * stepsPerPass)
        let done = (completedWarmupPasses + samples.count) * stepsPerPass + (isFinished ? 0 : executor.nextIndex)
        return min(1, Double(done) / total)
    }

    /// Statistics of the measured passes so far, or nil before the first one finishes.
    public var report: ProfileReport? {
        samples.isEmpty ? nil : ProfileReport(graph: graph, samples: samples)
    }

    /// Runs steps until `budgetSeconds` of wall time have gone by (at least one step) or all
    /// passes are done. Returns true if any step ran.
    @discardableResult
    public func advance(budgetSeconds: Double) -> Bool {
        guard !isFinished else { return false }
        let start = DispatchTime.now().uptimeNanoseconds
        var ranAny = false
        repeat {
            runOneStep()
            ranAny = true
        } while !isFinished && Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < budgetSeconds
        return ranAny
    }

    /// Runs every remaining pass and returns the statistics.
    public func run() -> ProfileReport {
        while !isFinished { runOneStep() }
        return ProfileReport(graph: graph, samples: samples)
    }

    private func runOneStep() {
        if executor.isFinished {
            // Start the next pass; the input is unchanged, so reset cannot fail on shape.
            try? executor.reset(input: nil)
        }
        executor.step()
        guard executor.isFinished else { return }
        if completedWarmupPasses < warmupPasses {
            completedWarmupPasses += 1
        } else {
            samples.append(executor.durations.map { $0 ?? 0 })
        }
    }
}
