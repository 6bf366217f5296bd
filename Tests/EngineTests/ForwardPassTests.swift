import Testing
@testable import ShuffleEngine

@Suite struct ForwardPassTests {
    /// Folding shuffles, adds and concats into neighbouring kernels must not change a single bit.
    @Test(arguments: [(3, ShuffleConvention.authors, 1, true), (3, .paper, 2, true), (8, .disabled, 2, true), (3, .authors, 2, false)])
    func matchesTheExecutorBitForBit(groups: Int, convention: ShuffleConvention, batch: Int, fuses: Bool) throws {
        let widths = groups == 3 ? [24, 240, 480, 960] : [24, 384, 768, 1536]
        let graph = try ShuffleNetTestGraph(
            groups: groups, widths: widths, resolution: 40, batch: batch, classes: 10, convention: convention
        ).build()
        var random = SeededRandom(seed: 21)
        let input = random.tensor(graph.inputShape)
        let executor = try Executor(graph: graph, input: input, threads: 2)
        let expected = executor.runToEnd()
        let pass = try ForwardPass(graph: graph, threads: 2, fuses: fuses)
        #expect(try pass.run(input) == expected)
        // Again on another input: nothing may leak from the previous run.
        let second = random.tensor(graph.inputShape)
        try executor.reset(input: second)
        #expect(try pass.run(second) == executor.runToEnd())
    }

    @Test func foldsEveryShuffleAddConcatAndTheStemPoolOfShuffleNet() throws {
        let graph = try ShuffleNetTestGraph(resolution: 32, classes: 10).build()
        let pass = try ForwardPass(graph: graph)
        let kinds = pass.stepNodes.map { graph.nodes[$0[0]].op.kind }
        // 16 units, each with one shuffle and one add or concat, and the stem's max pool, all
        // folded away.
        #expect(pass.stepNodes.count == graph.nodes.count - 33)
        #expect(!kinds.contains("shuffle") && !kinds.contains("add") && !kinds.contains("concat") && !kinds.contains("maxpool"))
        // Every node is computed by some step (a concat by both of the steps writing its halves).
        #expect(Set(pass.stepNodes.flatMap { $0 }) == Set(graph.nodes.indices))
    }

    @Test func buffersAliveTogetherNeverOverlap() throws {
        let graph = try ShuffleNetTestGraph(resolution: 32, batch: 2, classes: 10).build()
        for fuses in [false, true] {
            let steps = StepPlan(graph: graph, fuses: fuses)
            let buffers = BufferPlan(graph: graph, steps: steps)
            var overwrites = 0
            // Every step's output range must be disjoint from each of its inputs' ranges; only a
            // pointwise convolution with a short depth may write exactly over its residual.
            func range(_ node: Int) -> Range<Int>? {
                guard let placement = steps.placements[node], let offset = buffers.offsets[placement.owner] else { return nil }
                let shape = graph.nodes[placement.owner].outputShape
                return offset..<(offset + shape.count)
            }
            for step in steps.steps {
                guard let written = range(step.node) ?? range(step.writes) else {
                    Issue.record("step \(step.node) has no output buffer")
                    continue
                }
                for case .node(let source) in step.inputs {
                    let read = try #require(range(source))
                    #expect(!written.overlaps(read), "\(graph.nodes[step.node].name) reads \(graph.nodes[source].name)")
                }
                if case .node(let source)? = step.residual {
                    let read = try #require(range(source))
                    var overwritable = false
                    if case .convolution(let conv) = graph.nodes[step.node].op {
                        overwritable = Kernels.pointwiseCanOverwriteResidual(conv)
                    }
                    #expect(!written.overlaps(read) || (overwritable && written == read),
                            "\(graph.nodes[step.node].name) adds \(graph.nodes[source].name)")
                    if overwritable && written == read { overwrites += 1 }
                }
            }
            // Every residual unit (3 + 7 + 3 of them) fuses its add into pw2 and overwrites its input.
            #expect(overwrites == (fuses ? 13 : 0))
            let total = graph.nodes.reduce(0) { $0 + $1.outputShape.count }
            #expect(buffers.arenaFloats < total / 4, "sharing must shrink the arena well below one buffer per node")
        }
    }

    /// Every kernel's scratch, fused ones included, is reserved when the pass is planned, so a
    /// run never grows (reallocates) it.
    @Test(arguments: [(1, true), (2, true), (2, false)])
    func planningReservesAllTheScratchARunUses(threads: Int, fuses: Bool) throws {
        let graph = try ShuffleNetTestGraph(resolution: 40, batch: 2, classes: 10).build()
        let pass = try ForwardPass(graph: graph, threads: threads, fuses: fuses)
        let reserved = pass.context.scratchPerWorker
        #expect(reserved > 0)
        var random = SeededRandom(seed: 5)
        _ = try pass.run(random.tensor(graph.inputShape))
        #expect(pass.context.scratchPerWorker == reserved)
    }

    @Test func stepTimesAreRecordedOnlyWhenAsked() throws {
        let graph = try ShuffleNetTestGraph(resolution: 32, classes: 10).build()
        let pass = try ForwardPass(graph: graph)
        var random = SeededRandom(seed: 2)
        let input = random.tensor(graph.inputShape)
        _ = try pass.run(input)
        #expect(pass.stepSeconds.allSatisfy { $0 == 0 })
        pass.recordsStepTimes = true
        _ = try pass.run(input)
        #expect(pass.stepSeconds.allSatisfy { $0 > 0 })
    }

    @Test func rejectsAnInputOfTheWrongShape() throws {
        let graph = try ShuffleNetTestGraph(resolution: 32, classes: 10).build()
        let pass = try ForwardPass(graph: graph)
        #expect(throws: ExecutionError.self) { try pass.run(Tensor(zeros: Shape(n: 1, c: 3, h: 31, w: 32))) }
    }
}
