import Foundation
import ShuffleEngine

/// One network (with or without shuffles), its executor, and the data derived from its outputs.
///
/// Outputs are kept so stepping back is free, within `memoryLimit` (bytes of outputs; nil keeps
/// all): over it, the outputs farthest from `cursor` that no step still to run reads are
/// dropped, and `output(_:)` recomputes a dropped one on demand (see `OutputWindow`).
final class NetworkRun {
    let graph: Graph
    let context: NetworkContext
    let executor: Executor
    let isAblation: Bool
    /// Bytes of step outputs this run may keep; nil keeps every output.
    var memoryLimit: Int? {
        didSet { window.trim(executor: executor, cursor: cursor, limit: memoryLimit) }
    }
    /// The step on screen: outputs near it are the last to be dropped.
    var cursor = 0
    /// How many outputs were recomputed after being dropped (for tests and the curious).
    var recomputedSteps: Int { window.recomputedSteps }
    private var window: OutputWindow
    private var analyses: [Int: LayerAnalysis] = [:]

    init(graph: Graph, groups: Int, input: Tensor, threads: Int = 1, isAblation: Bool, memoryLimit: Int? = nil) throws {
        self.graph = graph
        self.context = NetworkContext(graph: graph, groups: groups)
        self.executor = try Executor(graph: graph, input: input, threads: threads)
        self.isAblation = isAblation
        self.memoryLimit = memoryLimit
        self.window = OutputWindow(graph: graph)
    }

    /// Runs steps live, one `Executor.step()` at a time, until step `index` has run or (with a
    /// deadline in `DispatchTime` nanoseconds) time is up; at least one step runs when any is due.
    func run(upTo index: Int, deadline: UInt64? = nil) {
        while executor.nextIndex <= index, !executor.isFinished {
            executor.step()
            window.trim(executor: executor, cursor: cursor, limit: memoryLimit)
            if let deadline, DispatchTime.now().uptimeNanoseconds >= deadline { return }
        }
    }

    func runToEnd(deadline: UInt64? = nil) { run(upTo: graph.nodes.count - 1, deadline: deadline) }

    /// Step `index`'s output once it has run, recomputed if the memory limit dropped it.
    func output(_ index: Int) -> Tensor? {
        if let kept = executor.outputs[safe: index] ?? nil { return kept }
        guard hasRun(index) else { return nil }
        return window.output(index, executor: executor, cursor: cursor, limit: memoryLimit)
    }

    func hasRun(_ index: Int) -> Bool { index < executor.nextIndex }

    /// Statistics of a step's output, computed on first use.
    func analysis(_ index: Int) -> LayerAnalysis? {
        if let cached = analyses[index] { return cached }
        guard let output = output(index) else { return nil }
        let analysis = LayerAnalysis(output: output, bands: context.layerBands[safe: index] ?? [])
        analyses[index] = analysis
        return analysis
    }

    /// The logits (batch item 0) once the classifier has run.
    var logits: [Float]? {
        guard let index = context.logitsIndex, let output = output(index) else { return nil }
        return Array(output.storage.prefix(output.shape.item))
    }
}
