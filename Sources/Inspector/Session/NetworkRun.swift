import Foundation
import ShuffleEngine

/// One network (with or without shuffles), its executor, and the data derived from its outputs.
final class NetworkRun {
    let graph: Graph
    let context: NetworkContext
    let executor: Executor
    let isAblation: Bool
    private var analyses: [Int: LayerAnalysis] = [:]

    init(graph: Graph, groups: Int, input: Tensor, threads: Int = 1, isAblation: Bool) throws {
        self.graph = graph
        self.context = NetworkContext(graph: graph, groups: groups)
        self.executor = try Executor(graph: graph, input: input, threads: threads)
        self.isAblation = isAblation
    }

    /// Runs steps live, one `Executor.step()` at a time, until step `index` has run or (with a
    /// deadline in `DispatchTime` nanoseconds) time is up; at least one step runs when any is due.
    func run(upTo index: Int, deadline: UInt64? = nil) {
        while executor.nextIndex <= index, !executor.isFinished {
            executor.step()
            if let deadline, DispatchTime.now().uptimeNanoseconds >= deadline { return }
        }
    }

    func runToEnd(deadline: UInt64? = nil) { run(upTo: graph.nodes.count - 1, deadline: deadline) }

    func output(_ index: Int) -> Tensor? { executor.outputs[safe: index] ?? nil }

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
