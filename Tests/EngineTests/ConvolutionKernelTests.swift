import Testing
@testable import ShuffleEngine

@Suite struct ConvolutionKernelTests {
    struct Case: CustomStringConvertible {
        var channels: Int
        var kernelSize: Int
        var stride: Int
        var padding: Int
        var groups: Int
        var batch: Int
        var plane: (h: Int, w: Int)
        var relu: Bool
        var description: String {
            "c\(channels) k\(kernelSize) s\(stride) p\(padding) g\(groups) n\(batch) \(plane.h)×\(plane.w) relu \(relu)"
        }
    }

    /// Every combination that fits the plane: kernels 1, 3, 5, strides 1, 2, padding 0, 1, 2,
    /// groups 1, 2, 3, 8 and depthwise, batch 1 and 2.
    static let cases: [Case] = {
        var cases: [Case] = []
        for kernelSize in [1, 3, 5] {
            for stride in [1, 2] {
                for padding in [0, 1, 2] where padding < kernelSize || padding == 0 {
                    for groups in [1, 2, 3, 8, 24] {
                        for (index, plane) in testPlanes.enumerated() {
                            guard plane.h + 2 * padding >= kernelSize, plane.w + 2 * padding >= kernelSize else { continue }
                            cases.append(Case(
                                channels: 24, kernelSize: kernelSize, stride: stride, padding: padding, groups: groups,
                                batch: 1 + (index + groups) % 2, plane: plane, relu: (index + stride) % 2 == 0))
                        }
                    }
                }
            }
        }
        return cases
    }()

    @Test(arguments: cases, InstructionSet.available)
    func matchesReference(_ c: Case, instructionSet: InstructionSet) throws {
        var random = SeededRandom(seed: UInt64(c.kernelSize * 1000 + c.stride * 100 + c.groups * 10 + c.padding))
        // Grouped layers widen or narrow like ShuffleNet's bottlenecks; depthwise keeps its width.
        let outputChannels = c.groups == c.channels ? c.channels : c.channels / 2 + (c.groups == 3 ? 0 : 4)
        let conv = random.convolution(
            inputChannels: c.channels, outputChannels: outputChannels - outputChannels % c.groups, kernelSize: c.kernelSize,
            stride: c.stride, padding: c.padding, groups: c.groups, relu: c.relu)
        let input = random.tensor(Shape(n: c.batch, c: c.channels, h: c.plane.h, w: c.plane.w))
        let (fast, reference) = try runBoth(.convolution(conv), [input], instructionSet: instructionSet)
        #expect(relativeError(fast, reference) < 1e-5, "\(instructionSet) \(c)")
    }

    /// The im2col path must handle what the fast paths handle too (it is the fallback).
    @Test(arguments: [1, 3, 24])
    func generalPathMatchesReferenceOnFastPathShapes(groups: Int) throws {
        var random = SeededRandom(seed: 7)
        for (kernelSize, padding) in [(1, 0), (3, 1)] {
            let conv = random.convolution(
                inputChannels: 24, outputChannels: 24, kernelSize: kernelSize, padding: padding, groups: groups, relu: true)
            let input = random.tensor(Shape(n: 2, c: 24, h: 13, w: 11))
            let shape = try Op.convolution(conv).outputShape(for: [input.shape])
            let expected = Reference.convolution(conv, input, shape)
            var actual = Tensor(zeros: shape)
            input.storage.withUnsafeBufferPointer { x in
                actual.storage.withUnsafeMutableBufferPointer { y in
                    guard let x = x.baseAddress, let y = y.baseAddress else { return }
                    Kernels.generalConvolution(
                        conv, input: TensorView(base: x, shape: input.shape), output: MutableTensorView(base: y, shape: shape),
                        context: KernelContext(threads: 2))
                }
            }
            #expect(relativeError(actual, expected) < 1e-5, "k\(kernelSize) g\(groups)")
        }
    }

    /// ShuffleNet layer sizes: 16-column tiles, column and row splits, the overlapped tail, depth
    /// chunks (K = 320, 600, 610), planes narrower than a vector, and the one or two last columns
    /// summed down the depth a panel at a time (depths above and below a vector, panel counts not
    /// a multiple of 4).
    @Test(arguments: [
        (784, 60, 20), (196, 120, 40), (49, 240, 80), (49, 960, 240), (3136, 24, 60), (37, 9, 5), (5, 600, 7),
        (50, 610, 13), (17, 7, 6),
    ], InstructionSet.available)
    func pointwiseMatchesReferenceOnLayerSizes(size: (pixels: Int, inputs: Int, outputs: Int), instructionSet: InstructionSet) throws {
        let (pixels, inputs, outputs) = size
        var random = SeededRandom(seed: UInt64(pixels))
        let groups = inputs % 3 == 0 && outputs % 3 == 0 && inputs != 24 ? 3 : 1
        let conv = random.convolution(inputChannels: inputs, outputChannels: outputs, kernelSize: 1, groups: groups, relu: true)
        let input = random.tensor(Shape(n: 1, c: inputs, h: 1, w: pixels))
        let (fast, reference) = try runBoth(.convolution(conv), [input], threads: 2, instructionSet: instructionSet)
        #expect(relativeError(fast, reference) < 1e-5, "\(instructionSet) \(size)")
    }

    @Test func pointwiseOfKnownNumbers() {
        // Two outputs from two inputs on a 1×2 plane: y0 = 1·x0 + 2·x1 + 0.5, y1 = -1·x0 + 3·x1 - 1.
        let conv = Convolution(
            inputChannels: 2, outputChannels: 2, kernelSize: 1, stride: 1, padding: 0, groups: 1, relu: false,
            weight: [1, 2, -1, 3], bias: [0.5, -1])
        let input = Tensor(shape: Shape(n: 1, c: 2, h: 1, w: 2), storage: [1, 2, 10, 20])
        let y = Kernels.run(.convolution(conv), inputs: [input], outputShape: Shape(n: 1, c: 2, h: 1, w: 2))
        #expect(y.storage == [21.5, 42.5, 28, 57])
    }

    @Test func depthwiseWithReluOfKnownNumbers() {
        // 3×3 all-ones kernel, padding 1, on a 2×2 plane of ones: every output sees 4 ones.
        let conv = Convolution(
            inputChannels: 1, outputChannels: 1, kernelSize: 3, stride: 1, padding: 1, groups: 1, relu: true,
            weight: [Float](repeating: 1, count: 9), bias: [-5])
        let input = Tensor(shape: Shape(n: 1, c: 1, h: 2, w: 2), storage: [1, 1, 1, 1])
        let out = Kernels.run(.convolution(conv), inputs: [input], outputShape: input.shape)
        #expect(out.storage == [0, 0, 0, 0])
        let unclipped = Convolution(
            inputChannels: 1, outputChannels: 1, kernelSize: 3, stride: 1, padding: 1, groups: 1, relu: true,
            weight: [Float](repeating: 1, count: 9), bias: [0.25])
        #expect(Kernels.run(.convolution(unclipped), inputs: [input], outputShape: input.shape).storage == [4.25, 4.25, 4.25, 4.25])
    }
}
