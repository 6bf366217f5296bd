import ShuffleEngine
import Testing

@testable import Inspector

/// The inspector's memory limit: outputs far from the cursor are dropped and come back
/// recomputed, bit for bit.
@Suite struct OutputWindowTests {
    static let network = SyntheticNetwork.small

    static func run(limit: Int?) throws -> NetworkRun {
        try NetworkRun(
            graph: network.graph(convention: .authors), groups: network.groups, input: network.input(),
            isAblation: false, memoryLimit: limit)
    }

    static func keptBytes(_ run: NetworkRun) -> Int {
        run.executor.outputs.reduce(0) { $0 + ($1?.shape.count ?? 0) * MemoryLayout<Float>.stride }
    }

    @Test func keepsEveryOutputWithoutALimit() throws {
        let run = try Self.run(limit: nil)
        run.runToEnd()
        #expect(run.executor.outputs.allSatisfy { $0 != nil })
    }

    @Test func staysNearTheLimitAndRecomputesDroppedOutputsExactly() throws {
        let reference = try Self.run(limit: nil)
        reference.runToEnd()
        let everything = Self.keptBytes(reference)
        let limit = everything / 5
        let run = try Self.run(limit: limit)
        let count = run.graph.nodes.count
        run.cursor = count - 1
        for index in 0..<count {
            run.run(upTo: index)
            // The limit bends only for what the executor still needs: the streaming live set.
            #expect(Self.keptBytes(run) <= limit + ActivationMemory(graph: run.graph).streaming)
        }
        let dropped = (0..<count).filter { run.executor.outputs[$0] == nil }
        #expect(dropped.contains(0), "the first outputs, farthest from the cursor, go first")
        #expect(run.executor.outputs[count - 1] != nil, "the logits stay")
        // Walking back to the start brings every output back, equal to the reference.
        for index in stride(from: count - 1, through: 0, by: -1) {
            run.cursor = index
            #expect(run.output(index) == reference.executor.outputs[index], "step \(index)")
        }
        #expect(run.recomputedSteps > 0)
        #expect(run.recomputedSteps < dropped.count, "a replay restores a window, not one output")
    }
}
