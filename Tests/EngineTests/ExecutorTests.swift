import Testing
@testable import ShuffleEngine

@Suite struct ExecutorTests {
    /// A whole (small-input) ShuffleNet v1, node by node, against the reference kernels fed
    /// with the executor's own inputs so errors cannot pile up across layers.
    @Test(arguments: [(3, ShuffleConvention.authors, 1), (8, .paper, 2)])
    func everyNodeMatchesReference(groups: Int, convention: ShuffleConvention, batch: Int) throws {
        let widths = groups == 3 ? [24, 240, 480, 960] : [24, 384, 768, 1536]
        let graph = try ShuffleNetTestGraph(
            groups: groups, widths: widths, resolution: 32, batch: batch, classes: 10, convention: convention
        ).build()
        var random = SeededRandom(seed: 9)
        let executor = try Executor(graph: graph, input: random.tensor(graph.inputShape), threads: 2)
        executor.runToEnd()
        #expect(executor.isFinished)
        for (index, node) in graph.nodes.enumerated() {
            let inputs = node.inputs.map { input -> Tensor in
                switch input {
                case .graphInput: return executor.input
                case .node(let source): return executor.outputs[source] ?? Tensor(zeros: graph.nodes[source].outputShape)
                }
            }
            let expected = Reference.run(node.op, inputs: inputs, outputShape: node.outputShape)
            let actual = try #require(executor.outputs[index])
            #expect(relativeError(actual, expected) < 1e-5, "\(node.name)")
        }
    }

    /// The executor writes a new run into the previous run's storage; tensors a caller kept
    /// from the previous run must not change.
    @Test func keptOutputsSurviveTheNextRun() throws {
        let graph = try ShuffleNetTestGraph(resolution: 32, classes: 10).build()
        var random = SeededRandom(seed: 5)
        let executor = try Executor(graph: graph, input: random.tensor(graph.inputShape), threads: 2)
        executor.runToEnd()
        let kept = try #require(executor.outputs[4])
        let snapshot = Array(kept.storage)
        try executor.reset(input: random.tensor(graph.inputShape))
        executor.runToEnd()
        #expect(kept.storage == snapshot)
        #expect(executor.outputs[4]?.storage != snapshot, "a new input gives new outputs")
    }

    @Test func rejectsAGraphWhoseStatedShapeIsWrong() throws {
        var graph = try ShuffleNetTestGraph(resolution: 32, classes: 10).build()
        graph.nodes[3].outputShape.c += 1
        var random = SeededRandom(seed: 1)
        #expect(throws: ExecutionError.self) { try Executor(graph: graph, input: random.tensor(graph.inputShape)) }
    }

    @Test func testGraphCountsTheTableOneMultiplyAdds() throws {
        // The paper's Table 1 complexity of 1× g=3 (convolutions only) is 136.50 M; with the FC 137.46 M.
        let graph = try ShuffleNetTestGraph().build()
        #expect(graph.totalMultiplyAdds == 136_500_672 + 960 * 1000)
    }
}
