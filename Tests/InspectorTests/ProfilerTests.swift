import Testing
import ShuffleEngine

/// `ProfileReport` statistics on known durations, and `Profiler` pass bookkeeping.
@Suite struct ProfilerTests {
    /// Three nodes: a 1×1 conv (2→4 on 3×3, 72 MACs), a shuffle, a global pool.
    func tinyGraph() -> Graph {
        let conv = Convolution(inputChannels: 2, outputChannels: 4, kernelSize: 1, stride: 1, padding: 0, groups: 2,
                               relu: true, weight: [1, 2, 3, 4], bias: [0, 0, 0, 0])
        let shape = Shape(n: 1, c: 4, h: 3, w: 3)
        return Graph(inputShape: Shape(n: 1, c: 2, h: 3, w: 3), nodes: [
            Node(name: "a.pw", op: .convolution(conv), inputs: [.graphInput], outputShape: shape, multiplyAdds: 72),
            Node(name: "a.shuffle", op: .channelShuffle(groups: 2, convention: .paper), inputs: [.node(0)], outputShape: shape),
            Node(name: "b.pool", op: .globalAveragePool, inputs: [.node(1)], outputShape: Shape(n: 1, c: 4, h: 1, w: 1)),
        ])
    }

    @Test func medianOfOddAndEvenCounts() {
        #expect(ProfileReport.median([3, 1, 2]) == 2)
        #expect(ProfileReport.median([4, 1, 3, 2]) == 2.5)
        #expect(ProfileReport.median([5]) == 5)
        #expect(ProfileReport.median([]) == 0)
        #expect(ProfileReport.median([7, 7, 1, 100]) == 7)
    }

    @Test func perStepStatisticsFromKnownDurations() {
        let samples: [[Double]] = [
            [0.004, 0.001, 0.003],
            [0.002, 0.001, 0.005],
            [0.006, 0.003, 0.001],
            [0.008, 0.001, 0.001],
        ]
        let report = ProfileReport(graph: tinyGraph(), samples: samples)
        #expect(report.passes == 4)
        let conv = report.steps[0]
        #expect(conv.minimum == 0.002 && conv.maximum == 0.008)
        #expect(abs(conv.median - 0.005) < 1e-12)  // (0.004 + 0.006) / 2
        #expect(report.steps[1].median == 0.001)
        #expect(abs(report.steps[2].median - 0.002) < 1e-12)  // (0.001 + 0.003) / 2
        // Shares of the summed medians 0.005 + 0.001 + 0.002 = 0.008.
        #expect(abs(conv.share - 0.625) < 1e-12)
        #expect(abs(report.steps[1].share - 0.125) < 1e-12)
        // 72 MACs in 5 ms = 14 400 MAC/s.
        #expect(abs(conv.gigaMultiplyAddsPerSecond - 72 / 0.005 / 1e9) < 1e-15)
        #expect(report.steps[1].gigaMultiplyAddsPerSecond == 0)
        // Pass totals 0.008, 0.008, 0.010, 0.010 → median 0.009.
        #expect(abs(report.passMedian - 0.009) < 1e-12)
        #expect(abs(report.passMinimum - 0.008) < 1e-12 && abs(report.passMaximum - 0.010) < 1e-12)
        #expect(report.totalMultiplyAdds == 72)
    }

    @Test func bytesReadAndWritten() {
        let report = ProfileReport(graph: tinyGraph(), samples: [[1, 1, 1]])
        // Conv: input 2·9 + weights 4 + bias 4 = 26 floats read; 4·9 = 36 written.
        #expect(report.steps[0].bytesRead == 26 * 4 && report.steps[0].bytesWritten == 36 * 4)
        #expect(report.steps[1].bytesRead == 36 * 4 && report.steps[1].bytesWritten == 36 * 4)
        #expect(report.steps[2].bytesRead == 36 * 4 && report.steps[2].bytesWritten == 4 * 4)
    }

    @Test func totalsByOpType() {
        let report = ProfileReport(graph: tinyGraph(), samples: [[0.006, 0.001, 0.001], [0.006, 0.001, 0.003]])
        #expect(report.categories.map(\.category) == [.pointwiseConvolution, .shuffle, .pooling])
        let conv = report.categories[0]
        #expect(conv.stepCount == 1 && conv.multiplyAdds == 72 && conv.multiplyAddShare == 1)
        #expect(abs(conv.timeShare - 0.006 / 0.009) < 1e-12)
        #expect(report.categories[1].multiplyAddShare == 0)
        #expect(abs(report.categories.reduce(0) { $0 + $1.timeShare } - 1) < 1e-12)
    }

    @Test func incompletePassesAreIgnored() {
        let report = ProfileReport(graph: tinyGraph(), samples: [[1, 2, 3], [1, 2]])
        #expect(report.passes == 1)
        #expect(report.steps[2].median == 3)
    }

    @Test func categoriesOfOps() {
        let dw = Convolution(inputChannels: 4, outputChannels: 4, kernelSize: 3, stride: 1, padding: 1, groups: 4, relu: false,
                             weight: Array(repeating: 0, count: 36), bias: Array(repeating: 0, count: 4))
        let stem = Convolution(inputChannels: 3, outputChannels: 2, kernelSize: 3, stride: 2, padding: 1, groups: 1, relu: true,
                               weight: Array(repeating: 0, count: 54), bias: [0, 0])
        #expect(OpCategory(.convolution(dw)) == .depthwiseConvolution)
        #expect(OpCategory(.convolution(stem)) == .stemConvolution)
        #expect(OpCategory(.averagePool(PoolWindow(kernelSize: 3, stride: 2, padding: 1))) == .pooling)
        #expect(OpCategory(.concat(relu: true)) == .addConcat)
        #expect(OpCategory(.add(relu: true)) == .addConcat)
        #expect(OpCategory(.softmax) == .softmax)
    }

    @Test func profilerRunsWarmupThenMeasuredPasses() throws {
        let graph = tinyGraph()
        let input = Tensor(shape: graph.inputShape, storage: (0..<18).map(Float.init))
        let profiler = try Profiler(graph: graph, input: input, passes: 3, warmupPasses: 2)
        #expect(profiler.report == nil)
        // A zero budget still runs one pass (a warm-up pass here).
        #expect(profiler.advance(budgetSeconds: 0))
        #expect(profiler.completedWarmupPasses == 1 && profiler.samples.isEmpty)
        #expect(profiler.progress > 0 && profiler.progress < 1)
        let report = profiler.run()
        #expect(profiler.isFinished && profiler.completedWarmupPasses == 2)
        #expect(profiler.samples.count == 3 && profiler.samples.allSatisfy { $0.count == 3 })
        #expect(report.passes == 3)
        #expect(profiler.progress == 1)
        #expect(!profiler.advance(budgetSeconds: 1))
        #expect(report.steps.allSatisfy { $0.minimum <= $0.median && $0.median <= $0.maximum })
        // Whole-pass wall times, with and without step timing, one of each per measured round.
        #expect(profiler.timedPassSeconds.count == 3 && profiler.untimedPassSeconds.count == 3)
        #expect(report.endToEndMedian > 0 && report.untimedMedian > 0)
        #expect(report.endToEndMedian >= report.stepMedianSum * 0.5)
    }

    @Test func unattributedTimeIsWallTimeMinusStepMedians() {
        let graph = tinyGraph()
        let samples: [[Double]] = [[1, 2, 3], [3, 2, 1], [2, 2, 2]]
        let report = ProfileReport(
            graph: graph, samples: samples, timedPassSeconds: [7, 8, 9], untimedPassSeconds: [6, 6.5, 7])
        // Step medians 2, 2, 2 sum to 6; the timed wall median is 8.
        #expect(report.stepMedianSum == 6)
        #expect(report.unattributedSeconds == 2)
        #expect(report.timingOverheadSeconds == 1.5)
        let unmeasured = ProfileReport(graph: graph, samples: samples)
        #expect(unmeasured.unattributedSeconds == 0 && unmeasured.timingOverheadSeconds == 0)
    }
}
