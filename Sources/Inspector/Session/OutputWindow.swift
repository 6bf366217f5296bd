import ShuffleEngine

/// Keeps a run's step outputs within a memory limit: a window around the cursor plus what the
/// steps still to run read; everything else is dropped and recomputed when asked for.
///
/// - Trimming: while the kept outputs (the executor's and recomputed ones) exceed the limit, the
///   one farthest from the cursor is dropped, except outputs a step still to run reads (the
///   executor needs them) and the last node's (the logits).
/// - Recomputing: a dropped output `i` is rebuilt by a replay from the input with a fresh
///   `Executor` that frees outputs as soon as no later step reads them (the streaming live set),
///   keeping the outputs from `i` backwards that fit half the limit, so stepping back from `i`
///   is free again for a while. Cost: one partial pass per miss.
struct OutputWindow {
    private let graph: Graph
    private let lastReaders: [Int?]
    private let releases: [[Int]]
    private let sizes: [Int]
    /// Outputs rebuilt by a replay, by node index.
    private var restored: [Int: Tensor] = [:]
    private(set) var recomputedSteps = 0

    init(graph: Graph) {
        self.graph = graph
        lastReaders = graph.lastReaders()
        releases = graph.releasesAfterEachNode()
        sizes = graph.nodes.map { $0.outputShape.count * MemoryLayout<Float>.stride }
    }

    /// Drops outputs, farthest from `cursor` first, until the kept ones fit `limit`.
    mutating func trim(executor: Executor, cursor: Int, limit: Int?) {
        guard let limit else { return }
        var kept: [Int] = []
        var bytes = 0
        for index in graph.nodes.indices where executor.outputs[index] != nil || restored[index] != nil {
            kept.append(index)
            bytes += sizes[index]
        }
        guard bytes > limit else { return }
        let last = graph.nodes.count - 1
        let droppable = kept.filter { index in
            guard index != last else { return false }
            // Still read by a step the executor has not run.
            if let reader = lastReaders[index], reader >= executor.nextIndex, executor.outputs[index] != nil { return false }
            return true
        }.sorted { abs($0 - cursor) > abs($1 - cursor) }
        for index in droppable where bytes > limit {
            executor.discardOutput(at: index)
            restored[index] = nil
            bytes -= sizes[index]
        }
    }

    /// Output `index` (which has run), from the restored set or recomputed by a replay.
    mutating func output(_ index: Int, executor: Executor, cursor: Int, limit: Int?) -> Tensor? {
        if let found = restored[index] { return found }
        guard let replay = try? Executor(graph: graph, input: executor.input, context: executor.context) else { return nil }
        let windowBytes = (limit ?? Int.max) / 2
        var window: [Int: Tensor] = [:]
        var bytes = 0
        while let step = replay.step() {
            if step.index <= index {
                window[step.index] = step.output
                bytes += sizes[step.index]
                // Keep the newest outputs that fit: drop from the far (early) end.
                while bytes > windowBytes, let oldest = window.keys.min(), oldest != index {
                    window[oldest] = nil
                    bytes -= sizes[oldest]
                }
            }
            for released in releases[step.index] { replay.discardOutput(at: released) }
            if step.index == index { break }
        }
        recomputedSteps += 1
        restored.merge(window) { _, new in new }
        let found = restored[index]
        trim(executor: executor, cursor: cursor, limit: limit)
        // The caller asked for it: hand it back even if trimming dropped it again.
        return found
    }
}
