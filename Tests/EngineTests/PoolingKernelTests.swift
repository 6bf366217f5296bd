import ShuffleKernelCore
import Testing
@testable import ShuffleEngine

@Suite struct PoolingKernelTests {
    struct Case: CustomStringConvertible, Sendable {
        var average: Bool
        var kernelSize: Int
        var stride: Int
        var padding: Int
        var batch: Int
        var h: Int
        var w: Int
        /// Average pooling: whether padded cells count in the divisor.
        var countsPadding = true
        var description: String {
            "\(average ? "avg" : "max")\(countsPadding ? "" : " (padding not counted)") k\(kernelSize) s\(stride) p\(padding) n\(batch) \(h)×\(w)"
        }
    }

    static let cases: [Case] = {
        var cases: [Case] = []
        for average in [false, true] {
            for (kernelSize, stride, padding) in [(3, 2, 1), (3, 1, 1), (2, 2, 0), (3, 2, 0), (5, 3, 2)] {
                for (index, plane) in (testPlanes + [(56, 56), (112, 112), (28, 28), (14, 14), (17, 23)]).enumerated() {
                    guard plane.h + 2 * padding >= kernelSize, plane.w + 2 * padding >= kernelSize else { continue }
                    cases.append(Case(
                        average: average, kernelSize: kernelSize, stride: stride, padding: padding,
                        batch: 1 + index % 2, h: plane.h, w: plane.w))
                    if average && padding > 0 {
                        cases.append(Case(
                            average: true, kernelSize: kernelSize, stride: stride, padding: padding,
                            batch: 1 + index % 2, h: plane.h, w: plane.w, countsPadding: false))
                    }
                }
            }
        }
        return cases
    }()

    @Test(arguments: cases, InstructionSet.available)
    func matchesReference(_ c: Case, instructionSet: InstructionSet) throws {
        var random = SeededRandom(seed: UInt64(c.h * 100 + c.w))
        let window = PoolWindow(kernelSize: c.kernelSize, stride: c.stride, padding: c.padding, countsPadding: c.countsPadding)
        let input = random.tensor(Shape(n: c.batch, c: 5, h: c.h, w: c.w))
        let (fast, reference) = try runBoth(
            c.average ? .averagePool(window) : .maxPool(window), [input], threads: 2, instructionSet: instructionSet)
        #expect(relativeError(fast, reference) < 1e-5, "\(instructionSet) \(c)")
    }

    /// Eight channels at a time (`PoolBlock`) give the bits of one plane at a time (`PoolPlane`),
    /// NaN included, for the channels left over past the last run of eight too, with a fused ReLU,
    /// on one thread and on two.
    @Test(arguments: [(true, true), (true, false), (false, true)], InstructionSet.available)
    func blocksEqualPlaneByPlaneBitForBit(_ kind: (average: Bool, countsPadding: Bool), instructionSet: InstructionSet) {
        var random = SeededRandom(seed: kind.average ? 80 : 81)
        let window = PoolWindow(kernelSize: 3, stride: 2, padding: 1, countsPadding: kind.countsPadding)
        let cases: [(h: Int, w: Int, channels: Int)] = [(28, 28, 16), (14, 14, 12), (15, 15, 8), (9, 13, 17), (8, 8, 8), (27, 28, 9)]
        var blocked = 0
        for (index, plane) in cases.enumerated() {
            var input = random.tensor(Shape(n: 1 + index % 2, c: plane.channels, h: plane.h, w: plane.w))
            for i in stride(from: index, to: input.storage.count, by: 97) { input.storage[i] = .nan }
            let shape = Shape(n: input.shape.n, c: input.shape.c, h: (plane.h - 1) / 2 + 1, w: (plane.w - 1) / 2 + 1)
            guard PoolBlock.applies(window, input: input.shape, output: shape) else { continue }
            blocked += 1
            let relu = index % 2 == 1
            func pooled(_ x: Tensor, _ outputShape: Shape, threads: Int) -> Tensor {
                let context = KernelContext(threads: threads, instructionSet: instructionSet)
                var y = Tensor(zeros: outputShape)
                x.storage.withUnsafeBufferPointer { xb in
                    y.storage.withUnsafeMutableBufferPointer { yb in
                        Kernels.pooling(
                            window, average: kind.average, input: TensorView(base: xb.baseAddress!, shape: x.shape),
                            output: MutableTensorView(base: yb.baseAddress!, shape: outputShape), relu: relu,
                            context: context)
                    }
                }
                return y
            }
            // One channel at a time never goes through blocks.
            var expected: [Float] = []
            for n in 0..<input.shape.n {
                for c in 0..<input.shape.c {
                    let from = (n * input.shape.c + c) * input.shape.plane
                    let one = Tensor(
                        shape: Shape(n: 1, c: 1, h: plane.h, w: plane.w),
                        storage: Array(input.storage[from..<(from + input.shape.plane)]))
                    expected += pooled(one, Shape(n: 1, c: 1, h: shape.h, w: shape.w), threads: 1).storage
                }
            }
            for threads in [1, 2] {
                let output = pooled(input, shape, threads: threads)
                let differing = zip(output.storage, expected).filter { $0.0.bitPattern != $0.1.bitPattern }.count
                #expect(differing == 0, "\(plane) relu \(relu) on \(threads) threads")
            }
        }
        #expect(blocked >= 5)
    }

    @Test func averagePoolCornerCountsThePadding() {
        // The top-left window of a 3×3/2 pool with padding 1 covers a 2×2 corner of real cells
        // and 5 padded ones; PyTorch divides by all 9: (1 + 2 + 5 + 6) / 9.
        let input = Tensor(shape: Shape(n: 1, c: 1, h: 4, w: 4), storage: (1...16).map(Float.init))
        let y = Kernels.run(.averagePool(PoolWindow(kernelSize: 3, stride: 2, padding: 1)), inputs: [input],
                            outputShape: Shape(n: 1, c: 1, h: 2, w: 2))
        #expect(abs(y[0, 0, 0, 0] - 14.0 / 9) < 1e-6)
        // The bottom-right window covers rows and columns 1...3, all real: (6+7+8+10+11+12+14+15+16) / 9.
        #expect(abs(y[0, 0, 1, 1] - 99.0 / 9) < 1e-6)
    }

    @Test func averagePoolCanLeavePaddingOutOfTheDivisor() {
        // count_include_pad = false: the top-left window divides by its 4 real cells,
        // (1 + 2 + 5 + 6) / 4; the bottom-right one has no padding and stays 99 / 9.
        let input = Tensor(shape: Shape(n: 1, c: 1, h: 4, w: 4), storage: (1...16).map(Float.init))
        let window = PoolWindow(kernelSize: 3, stride: 2, padding: 1, countsPadding: false)
        let shape = Shape(n: 1, c: 1, h: 2, w: 2)
        for instructionSet in InstructionSet.available {
            let y = Kernels.run(
                .averagePool(window), inputs: [input], outputShape: shape, context: KernelContext(threads: 1, instructionSet: instructionSet))
            #expect(abs(y[0, 0, 0, 0] - 14.0 / 4) < 1e-6, "\(instructionSet)")
            // Top-right: rows 0–1 (row −1 is padding) and columns 1–3: (2+3+4+6+7+8) / 6.
            #expect(abs(y[0, 0, 0, 1] - 30.0 / 6) < 1e-6, "\(instructionSet)")
            #expect(abs(y[0, 0, 1, 1] - 99.0 / 9) < 1e-6, "\(instructionSet)")
        }
        let reference = Reference.run(.averagePool(window), inputs: [input], outputShape: shape)
        #expect(abs(reference[0, 0, 0, 0] - 14.0 / 4) < 1e-6)
    }

    @Test func maxPoolIgnoresPadding() {
        // All-negative input: padded cells (implicitly -∞) must never win over real ones.
        let input = Tensor(shape: Shape(n: 1, c: 1, h: 3, w: 3), storage: [-9, -8, -7, -6, -5, -4, -3, -2, -1])
        let y = Kernels.run(.maxPool(PoolWindow(kernelSize: 3, stride: 2, padding: 1)), inputs: [input],
                            outputShape: Shape(n: 1, c: 1, h: 2, w: 2))
        #expect(y.storage == [-5, -4, -2, -1])
    }

    @Test func globalAveragePoolOfKnownNumbers() {
        let input = Tensor(shape: Shape(n: 2, c: 1, h: 1, w: 3), storage: [1, 2, 3, -3, 0, 9])
        let y = Kernels.run(.globalAveragePool, inputs: [input], outputShape: Shape(n: 2, c: 1, h: 1, w: 1))
        #expect(y.storage == [2, 2])
    }

    @Test(arguments: [(1, 1), (3, 5), (7, 7), (13, 11), (14, 14)])
    func globalAveragePoolMatchesReference(h: Int, w: Int) throws {
        var random = SeededRandom(seed: UInt64(h * w))
        let input = random.tensor(Shape(n: 2, c: 37, h: h, w: w))
        let (fast, reference) = try runBoth(.globalAveragePool, [input], threads: 2)
        #expect(relativeError(fast, reference) < 1e-5)
    }
}
