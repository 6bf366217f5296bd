import ShuffleKernelCore
import Testing
@testable import ShuffleEngine

/// A general convolution with the pooling of its output folded in (`Kernels.pooledConvolution`,
/// planned for ShuffleNet's stem), against the two kernels run one after the other.
@Suite struct PooledConvolutionTests {
    struct Case: CustomStringConvertible {
        var inputs = 3
        var outputs = 24
        var kernelSize = 3
        var stride = 2
        var padding = 1
        var groups = 1
        var window = PoolWindow(kernelSize: 3, stride: 2, padding: 1)
        var average = false
        var batch = 1
        var plane: (h: Int, w: Int)
        var description: String {
            "\(inputs)->\(outputs) k\(kernelSize) s\(stride) p\(padding) g\(groups) pool k\(window.kernelSize) "
                + "s\(window.stride) p\(window.padding) \(average ? "avg" : "max") n\(batch) \(plane.h)×\(plane.w)"
        }
    }

    /// The stem's shapes (one to many bands of pooled rows, odd sizes, a single pooled row), an
    /// average pool, a grouped convolution, a stride-1 convolution, another window, batch 2.
    static let cases: [Case] = [
        Case(plane: (224, 224)), Case(plane: (64, 48)), Case(plane: (17, 23)), Case(plane: (5, 9)), Case(plane: (3, 3)),
        Case(average: true, plane: (33, 30)), Case(inputs: 6, outputs: 12, groups: 3, plane: (20, 20)),
        Case(kernelSize: 5, stride: 1, padding: 2, batch: 2, plane: (13, 11)), Case(kernelSize: 5, stride: 1, padding: 2, plane: (13, 11)),
        Case(batch: 2, plane: (13, 11)),
        Case(window: PoolWindow(kernelSize: 2, stride: 2, padding: 0), plane: (40, 36)),
    ]

    @Test(arguments: cases, InstructionSet.available)
    func equalsTheConvolutionThenThePoolingBitForBit(_ c: Case, instructionSet: InstructionSet) throws {
        var random = SeededRandom(seed: UInt64(c.plane.h * 100 + c.plane.w))
        let conv = random.convolution(
            inputChannels: c.inputs, outputChannels: c.outputs, kernelSize: c.kernelSize, stride: c.stride,
            padding: c.padding, groups: c.groups, relu: true)
        let input = random.tensor(Shape(n: c.batch, c: c.inputs, h: c.plane.h, w: c.plane.w))
        let poolOp: Op = c.average ? .averagePool(c.window) : .maxPool(c.window)
        let convolvedShape = try Op.convolution(conv).outputShape(for: [input.shape])
        let pooledShape = try poolOp.outputShape(for: [convolvedShape])
        for threads in [1, 2, 2, 2] {
            let context = KernelContext(threads: threads, instructionSet: instructionSet)
            let convolved = Kernels.run(.convolution(conv), inputs: [input], outputShape: convolvedShape, context: context)
            let expected = Kernels.run(poolOp, inputs: [convolved], outputShape: pooledShape, context: context)
            var actual = Tensor(zeros: pooledShape)
            input.storage.withUnsafeBufferPointer { x in
                actual.storage.withUnsafeMutableBufferPointer { y in
                    Kernels.pooledConvolution(
                        conv, pool: c.window, average: c.average, input: TensorView(base: x.baseAddress!, shape: input.shape),
                        output: MutableTensorView(base: y.baseAddress!, shape: pooledShape), relu: false, context: context)
                }
            }
            #expect(actual == expected, "\(instructionSet) \(c), \(threads) threads")
            // And against the reference, so the pair itself is right.
            let reference = Reference.run(
                poolOp, inputs: [Reference.run(.convolution(conv), inputs: [input], outputShape: convolvedShape)],
                outputShape: pooledShape)
            #expect(relativeError(actual, reference) < 1e-5, "\(c)")
        }
    }

    /// Bands of one plane run on different threads, so pooling a range of rows must write those
    /// rows only: a narrow row's whole-vector store may not spill into the next band's first row.
    @Test(arguments: [false, true], InstructionSet.available)
    func poolingARangeOfRowsWritesOnlyThoseRows(average: Bool, instructionSet: InstructionSet) {
        var random = SeededRandom(seed: 9)
        let window = PoolWindow(kernelSize: 3, stride: 2, padding: 1)
        let input = random.tensor(Shape(n: 1, c: 1, h: 13, w: 11))
        let output = Shape(n: 1, c: 1, h: 7, w: 6)
        let scratch = PoolScratch(window, input: input.shape, output: output)
        let memory = UnsafeMutablePointer<Float>.allocate(capacity: scratch.floats)
        memory.initialize(repeating: 0, count: scratch.floats)
        defer { memory.deallocate() }
        var pooled = [Float](repeating: .nan, count: output.count)
        input.storage.withUnsafeBufferPointer { x in
            pooled.withUnsafeMutableBufferPointer { y in
                var plane = PoolPlane(
                    window, average: average, relu: false, scratch: scratch, memory: memory, input: input.shape, output: output)
                plane.input = x.baseAddress!
                plane.output = y.baseAddress!
                instructionSet.kernels.pool(plane, average: average, rows: 2..<4)
            }
        }
        let expected = Reference.run(
            average ? .averagePool(window) : .maxPool(window), inputs: [input], outputShape: output)
        for (index, value) in pooled.enumerated() {
            if (12..<24).contains(index) {
                #expect(abs(value - expected.storage[index]) < 1e-6, "output \(index)")
            } else {
                #expect(value.isNaN, "output \(index) is outside rows 2..<4 but was written")
            }
        }
    }

    @Test func bandsCoverEveryPooledRowOnceAndReadOnlyTheirWindows() {
        let conv = Convolution(
            inputChannels: 3, outputChannels: 24, kernelSize: 3, stride: 2, padding: 1, groups: 1, relu: true,
            weight: [Float](repeating: 0, count: 24 * 27), bias: [Float](repeating: 0, count: 24))
        let window = PoolWindow(kernelSize: 3, stride: 2, padding: 1)
        let plan = PooledBands(
            conv, pool: window, input: Shape(n: 1, c: 3, h: 224, w: 224), output: Shape(n: 1, c: 24, h: 56, w: 56))
        #expect(plan.convolved == Shape(n: 1, c: 24, h: 112, w: 112))
        #expect(plan.count == 8)
        #expect((0..<plan.count).flatMap { Array(plan.pooledRows($0)) } == Array(0..<56))
        // Pooled rows 7..<14 read convolution rows 13...27: one row shared with the band before.
        #expect(plan.convolvedRows(for: plan.pooledRows(1)) == 13..<28)
        #expect(plan.convolvedRows(for: plan.pooledRows(0)) == 0..<14)
        #expect(plan.convolvedRows(for: plan.pooledRows(7)) == 97..<112)
        #expect((0..<plan.count).allSatisfy { plan.convolvedRows(for: plan.pooledRows($0)).count <= plan.convolvedRowsPerBand })
    }

    @Test func thePlanFoldsAPoolOnlyIntoAConvolutionNothingElseReads() throws {
        let stem = try ShuffleNetTestGraph(resolution: 32, classes: 10).build()
        let plan = StepPlan(graph: stem, fuses: true)
        let first = try #require(plan.steps.first)
        #expect(stem.nodes[first.node].name == "first_conv")
        #expect(first.absorbed.map { stem.nodes[$0].name } == ["maxpool"])
        #expect(first.pool?.window == PoolWindow(kernelSize: 3, stride: 2, padding: 1) && first.pool?.average == false)
        #expect(StepPlan(graph: stem, fuses: false).steps.allSatisfy { $0.pool == nil })

        // The convolution's output also feeds an add: it must be stored, so the pool keeps its step.
        var random = SeededRandom(seed: 3)
        let conv = random.convolution(inputChannels: 3, outputChannels: 4, kernelSize: 3, stride: 1, padding: 1, groups: 1, relu: true)
        let shape = Shape(n: 1, c: 4, h: 8, w: 8)
        let pooled = Shape(n: 1, c: 4, h: 4, w: 4)
        let shared = Graph(inputShape: Shape(n: 1, c: 3, h: 8, w: 8), nodes: [
            Node(name: "conv", op: .convolution(conv), inputs: [.graphInput], outputShape: shape),
            Node(name: "pool", op: .maxPool(PoolWindow(kernelSize: 2, stride: 2, padding: 0)), inputs: [.node(0)], outputShape: pooled),
            Node(name: "again", op: .maxPool(PoolWindow(kernelSize: 2, stride: 2, padding: 0)), inputs: [.node(0)], outputShape: pooled),
            Node(name: "sum", op: .add(relu: false), inputs: [.node(1), .node(2)], outputShape: pooled),
        ])
        #expect(StepPlan(graph: shared, fuses: true).steps.allSatisfy { $0.pool == nil })
        // Planned either way, the pass gives the executor's answer.
        let input = random.tensor(shared.inputShape)
        let expected = try Executor(graph: shared, input: input).runToEnd()
        #expect(try ForwardPass(graph: shared).run(input) == expected)
    }
}
