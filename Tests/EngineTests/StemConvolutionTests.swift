import ShuffleKernelCore
import Testing
@testable import ShuffleEngine

/// The stem kernel (`Kernels.stemConvolution`, `KernelSet.stem`): a 3×3 stride-2 convolution of
/// few input channels, with the 3×3 stride-2 max pool folded in or not, on every instruction set
/// this CPU runs. It must give the patch-matrix path's bits (so inspect mode, which runs the
/// convolution and the pool as two steps, sees what the fast path computes) and the reference's
/// values.
@Suite struct StemConvolutionTests {
    struct Case: CustomStringConvertible {
        var inputs = 3
        var outputs = 24
        var padding = 1
        var batch = 1
        var relu = true
        var plane: (h: Int, w: Int)
        var description: String { "\(inputs)->\(outputs) p\(padding) n\(batch) relu \(relu) \(plane.h)×\(plane.w)" }
    }

    /// ShuffleNet's stem at 224 and 2.0× (48 channels); output widths that are not a multiple of
    /// the 16-column tile (17, 20, 33), odd and even convolution heights (the pool's last window
    /// cut short or not), channel counts that leave a partial 6-channel tile (10, 5), one, two
    /// and four input channels, padding 0 and 2, batch 2, no ReLU.
    static let cases: [Case] = [
        Case(plane: (224, 224)), Case(outputs: 48, plane: (64, 96)), Case(plane: (33, 33)), Case(plane: (40, 39)),
        Case(outputs: 10, plane: (21, 66)), Case(inputs: 1, outputs: 5, plane: (12, 32)),
        Case(inputs: 4, outputs: 12, relu: false, plane: (19, 40)), Case(inputs: 2, padding: 0, plane: (23, 35)),
        Case(padding: 2, plane: (18, 31)), Case(batch: 2, plane: (30, 34)),
    ]

    @Test(arguments: cases, InstructionSet.available)
    func convolutionGivesThePatchPathsBits(_ c: Case, instructionSet: InstructionSet) throws {
        var random = SeededRandom(seed: UInt64(c.plane.h * 1000 + c.plane.w * 10 + c.inputs))
        let conv = random.convolution(
            inputChannels: c.inputs, outputChannels: c.outputs, kernelSize: 3, stride: 2, padding: c.padding, relu: c.relu)
        let input = random.tensor(Shape(n: c.batch, c: c.inputs, h: c.plane.h, w: c.plane.w))
        #expect(Kernels.stemApplies(conv, input: input.shape), "\(c) should take the stem kernel")
        let shape = try Op.convolution(conv).outputShape(for: [input.shape])
        for threads in [1, 2] {
            let context = KernelContext(threads: threads, instructionSet: instructionSet)
            let patches = run(input, shape) { x, y in Kernels.patchConvolution(conv, input: x, output: y, context: context) }
            let stem = run(input, shape) { x, y in Kernels.generalConvolution(conv, input: x, output: y, context: context) }
            // A Bool, so a failure names the case instead of printing both tensors.
            let same = stem == patches
            #expect(same, "\(instructionSet) \(c), \(threads) threads")
            let reference = Reference.run(.convolution(conv), inputs: [input], outputShape: shape)
            #expect(relativeError(stem, reference) < 1e-5, "\(instructionSet) \(c)")
        }
    }

    @Test(arguments: cases, InstructionSet.available)
    func pooledGivesThePatchPathThenThePoolingsBits(_ c: Case, instructionSet: InstructionSet) throws {
        var random = SeededRandom(seed: UInt64(c.plane.h * 1000 + c.plane.w * 10 + c.outputs))
        let conv = random.convolution(
            inputChannels: c.inputs, outputChannels: c.outputs, kernelSize: 3, stride: 2, padding: c.padding, relu: c.relu)
        let input = random.tensor(Shape(n: c.batch, c: c.inputs, h: c.plane.h, w: c.plane.w))
        let window = PoolWindow(kernelSize: 3, stride: 2, padding: 1)
        #expect(Kernels.stemApplies(conv, input: input.shape, pool: (window, false)))
        let convolvedShape = try Op.convolution(conv).outputShape(for: [input.shape])
        let pooledShape = try Op.maxPool(window).outputShape(for: [convolvedShape])
        for (threads, poolRelu) in [(1, false), (2, false), (2, true)] {
            let context = KernelContext(threads: threads, instructionSet: instructionSet)
            let convolved = run(input, convolvedShape) { x, y in
                Kernels.patchConvolution(conv, input: x, output: y, context: context)
            }
            var expected = Kernels.run(.maxPool(window), inputs: [convolved], outputShape: pooledShape, context: context)
            if poolRelu { expected = Tensor(shape: pooledShape, storage: expected.storage.map { max(0, $0) }) }
            let pooled = run(input, pooledShape) { x, y in
                Kernels.pooledConvolution(
                    conv, pool: window, average: false, input: x, output: y, relu: poolRelu, context: context)
            }
            let same = pooled == expected
            #expect(same, "\(instructionSet) \(c), \(threads) threads, pool ReLU \(poolRelu)")
            let reference = Reference.run(
                .maxPool(window), inputs: [Reference.run(.convolution(conv), inputs: [input], outputShape: convolvedShape)],
                outputShape: pooledShape)
            if !poolRelu { #expect(relativeError(pooled, reference) < 1e-5, "\(instructionSet) \(c)") }
        }
    }

    /// Tasks cut the rows into bands, and a pooled band recomputes the convolution row it shares
    /// with the band before: any banding, down to one row per call, gives the same bits.
    @Test(arguments: [false, true], InstructionSet.available)
    func anyBandingGivesTheSameBits(pools: Bool, instructionSet: InstructionSet) {
        var random = SeededRandom(seed: 41)
        let conv = random.convolution(inputChannels: 3, outputChannels: 12, kernelSize: 3, stride: 2, padding: 1, relu: true)
        let input = random.tensor(Shape(n: 1, c: 3, h: 45, w: 70))
        let height = StemConvolution.outputSize(45, padding: 1)
        let rows = pools ? StemConvolution.pooledSize(height) : height
        let width = StemConvolution.outputSize(70, padding: 1)
        let outputFloats = 12 * rows * (pools ? StemConvolution.pooledSize(width) : width)
        let scratchFloats = StemConvolution.scratchFloats(
            inputChannels: 3, inputWidth: 70, padding: 1, outputChannels: 12, pools: pools)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scratchFloats)
        scratch.initialize(repeating: .nan, count: scratchFloats)
        defer { scratch.deallocate() }
        var results: [[Float]] = []
        for bandRows in [rows, 1, 2, 5] {
            var output = [Float](repeating: .nan, count: outputFloats)
            input.storage.withUnsafeBufferPointer { x in
                conv.weight.withUnsafeBufferPointer { weight in
                    conv.bias.withUnsafeBufferPointer { bias in
                        output.withUnsafeMutableBufferPointer { y in
                            let stem = StemConvolution(
                                input: x.baseAddress!, inputChannels: 3, inputHeight: 45, inputWidth: 70, padding: 1,
                                weight: weight.baseAddress!, bias: bias.baseAddress!, outputChannels: 12, relu: true,
                                output: y.baseAddress!, pools: pools, poolRelu: false, scratch: scratch)
                            // Bands in reverse order: no band may rely on one computed before it.
                            for first in stride(from: 0, to: rows, by: bandRows).reversed() {
                                instructionSet.kernels.stem(stem, rows: first..<min(rows, first + bandRows))
                            }
                        }
                    }
                }
            }
            #expect(!output.contains { $0.isNaN }, "every output written, \(bandRows) rows per band")
            results.append(output)
        }
        for (index, result) in results.enumerated().dropFirst() {
            let same = result == results[0]
            #expect(same, "\(instructionSet) pools \(pools), banding \(index)")
        }
    }

    /// Only the stem's shapes take the kernel; the rest stay on the patch path.
    @Test func onlyStemShapesTakeTheKernel() {
        var random = SeededRandom(seed: 5)
        let stem = random.convolution(inputChannels: 3, outputChannels: 24, kernelSize: 3, stride: 2, padding: 1)
        let input = Shape(n: 1, c: 3, h: 224, w: 224)
        #expect(Kernels.stemApplies(stem, input: input))
        #expect(Kernels.stemApplies(stem, input: input, pool: (PoolWindow(kernelSize: 3, stride: 2, padding: 1), false)))
        #expect(!Kernels.stemApplies(stem, input: input, pool: (PoolWindow(kernelSize: 3, stride: 2, padding: 1), true)))
        #expect(!Kernels.stemApplies(stem, input: input, pool: (PoolWindow(kernelSize: 2, stride: 2, padding: 0), false)))
        // Output 15 columns wide: narrower than one tile.
        #expect(!Kernels.stemApplies(stem, input: Shape(n: 1, c: 3, h: 224, w: 30)))
        let wide = random.convolution(inputChannels: 8, outputChannels: 24, kernelSize: 3, stride: 2, padding: 1)
        #expect(!Kernels.stemApplies(wide, input: Shape(n: 1, c: 8, h: 56, w: 56)))
        let strideOne = random.convolution(inputChannels: 3, outputChannels: 24, kernelSize: 3, stride: 1, padding: 1)
        #expect(!Kernels.stemApplies(strideOne, input: input))
        let grouped = random.convolution(inputChannels: 3, outputChannels: 24, kernelSize: 3, stride: 2, padding: 1, groups: 3)
        #expect(!Kernels.stemApplies(grouped, input: input))
    }

    private func run(
        _ input: Tensor, _ shape: Shape, _ body: (TensorView, MutableTensorView) -> Void
    ) -> Tensor {
        var output = Tensor(zeros: shape)
        input.storage.withUnsafeBufferPointer { x in
            output.storage.withUnsafeMutableBufferPointer { y in
                body(TensorView(base: x.baseAddress!, shape: input.shape), MutableTensorView(base: y.baseAddress!, shape: shape))
            }
        }
        return output
    }
}
