import Foundation
import ShuffleEngine

/// The inspector's side effects: the two networks (with and without shuffle), their executors,
/// caches of derived data, and the background profiler. `synchronize(with:)` brings them in line
/// with the state after every key.
final class InspectorSession {
    let setup: InspectorSetup
    let normal: NetworkRun
    var ablated: NetworkRun?
    /// Compare mode's side B and the errors, once built (see `InspectorSession+Compare`).
    var comparison: ComparisonData?
    /// Test hook: replaces measured step durations so frames are deterministic.
    var durationOverride: ((Int) -> Double)?
    /// Seconds of stepping per key press before the rest moves to `tick()`, short enough that the
    /// key's frame comes within about 30 ms; nil runs it all at once.
    var stepBudget: Double? = 0.02
    /// Test hook: a fixed profile report instead of timed passes.
    var profileOverride: ProfileReport?

    private var thumbnails: [ThumbnailKey: Thumbnails] = [:]
    private var thumbnailOrder: [ThumbnailKey] = []
    private var profiler: Profiler?
    private var profilerKey: (ablation: Bool, generation: Int)?
    private(set) var profileReport: ProfileReport?

    init(setup: InspectorSetup) throws {
        self.setup = setup
        let graph: Graph
        do { graph = try setup.makeGraph(setup.convention) } catch {
            throw InspectorError("cannot build the network (\(setup.convention.rawValue) shuffle): \(error)")
        }
        do { normal = try NetworkRun(
            graph: graph, groups: setup.groups, input: setup.input, threads: setup.threads, isAblation: false) } catch {
            throw InspectorError("cannot run the network on \(setup.inputDescription): \(error)")
        }
    }

    func run(ablation: Bool) -> NetworkRun { ablation ? (ablated ?? normal) : normal }

    /// Runs whatever the state needs: steps up to the current one, both full passes for the
    /// ablation, and the profiler when the profile view is open. With a budget (seconds) the
    /// steps stop when it is spent and `hasPendingSteps` stays true, so a long jump runs on in
    /// `tick()` slices while keys stay live. Returns an error message when the ablation cannot be
    /// built (the state must then turn it off).
    func synchronize(with state: InspectorState, budget: Double? = nil) -> String? {
        let deadline = budget.map { DispatchTime.now().uptimeNanoseconds + UInt64(max(0, $0) * 1e9) }
        if state.ablation {
            if ablated == nil {
                do {
                    let graph = try setup.makeGraph(.disabled)
                    guard graph.nodes.map(\.name) == normal.graph.nodes.map(\.name) else {
                        return "ablation unavailable: the no-shuffle network has different steps"
                    }
                    ablated = try NetworkRun(
                        graph: graph, groups: setup.groups, input: setup.input, threads: setup.threads,
                        isAblation: true)
                } catch {
                    return "ablation unavailable: \(error)"
                }
            }
            // The comparison panel needs both passes' logits.
            normal.runToEnd(deadline: deadline)
            if normal.executor.isFinished { ablated?.runToEnd(deadline: deadline) }
        } else {
            normal.run(upTo: Self.target(of: state, last: normal.graph.nodes.count - 1), deadline: deadline)
        }
        if state.compare, let failure = synchronizeComparison(deadline: deadline) { return failure }
        if state.view == .profile { startProfilerIfNeeded(state: state) }
        return nil
    }

    /// True while steps the state asks for have not run yet.
    func hasPendingSteps(for state: InspectorState) -> Bool {
        if state.ablation { return !normal.executor.isFinished || !(ablated?.executor.isFinished ?? true) }
        if state.compare && comparison == nil { return true }
        return normal.executor.nextIndex <= Self.target(of: state, last: normal.graph.nodes.count - 1)
            && !normal.executor.isFinished
    }

    /// The last step the state needs: the current one, or the classifier for the focus view's
    /// class activation map.
    private static func target(of state: InspectorState, last: Int) -> Int {
        state.focus && state.showsClassMap ? last : state.current
    }

    /// Step duration in seconds, measured live (or from the test hook).
    func duration(_ index: Int, ablation: Bool) -> Double? {
        let run = run(ablation: ablation)
        guard run.hasRun(index) else { return nil }
        if let durationOverride { return durationOverride(index) }
        return run.executor.durations[safe: index] ?? nil
    }

    /// Sum of the durations of the steps run so far.
    func passTime(ablation: Bool) -> Double {
        let run = run(ablation: ablation)
        return (0..<run.executor.nextIndex).reduce(0) { $0 + (duration($1, ablation: ablation) ?? 0) }
    }

    func thumbnails(ablation: Bool, step: Int, normalization: Normalization, symmetric: Bool = false, columns: Int, pixelRows: Int) -> Thumbnails? {
        let key = ThumbnailKey(ablation: ablation, step: step, normalization: normalization, symmetric: symmetric, columns: columns, pixelRows: pixelRows)
        if let cached = thumbnails[key] { return cached }
        let run = run(ablation: ablation)
        guard let output = run.output(step), let analysis = run.analysis(step) else { return nil }
        let made = Thumbnails(
            output: output, analysis: analysis, normalization: normalization, symmetric: symmetric, columns: columns, pixelRows: pixelRows)
        thumbnails[key] = made
        thumbnailOrder.append(key)
        // A few recent sizes and steps are enough to make repeated frames and back-steps cheap.
        if thumbnailOrder.count > 24 { thumbnails[thumbnailOrder.removeFirst()] = nil }
        return made
    }

    // MARK: Profiling

    var isProfiling: Bool { profileOverride == nil && profiler.map { !$0.isFinished } ?? false }
    var profileProgress: (passes: Int, total: Int, fraction: Double)? {
        guard let profiler else { return nil }
        return (profiler.completedPasses, profiler.passes, profiler.progress)
    }

    private func startProfilerIfNeeded(state: InspectorState) {
        guard profileOverride == nil else { return }
        if let key = profilerKey, key.ablation == state.ablation, key.generation == state.profileGeneration { return }
        let run = run(ablation: state.ablation)
        profiler = try? Profiler(
            graph: run.graph, input: setup.input, passes: setup.profilePasses, warmupPasses: 1,
            threads: setup.threads)
        profilerKey = (state.ablation, state.profileGeneration)
        profileReport = nil
    }

    /// Runs a slice of profiling work; true when something changed on screen.
    func advanceProfiling(budgetSeconds: Double) -> Bool {
        guard let profiler, !profiler.isFinished else { return false }
        let before = profiler.completedPasses
        profiler.advance(budgetSeconds: budgetSeconds)
        if profiler.completedPasses != before { profileReport = profiler.report }
        return true
    }

    /// Runs the profile to completion (for one-shot rendering).
    func finishProfiling(state: InspectorState) {
        startProfilerIfNeeded(state: state)
        guard let profiler else { return }
        profileReport = profiler.run()
    }

    var currentProfile: ProfileReport? { profileOverride ?? profileReport }
}
