import ShuffleKernelCore
import Testing
@testable import ShuffleEngine

/// The 3×3 depthwise kernels of ShuffleNet's units: the direct paths (`DepthwiseRows`, stride 1
/// on narrow planes, stride 2 from 8 columns) and the padded-copy path they stand in for, in
/// every instruction set's build this CPU runs.
@Suite struct DepthwiseKernelTests {
    /// ShuffleNet's planes (56, 28, 14, 7 wide) and the edges of each path: the narrowest rows
    /// each takes, rows that are and are not a multiple of a vector, odd sizes, two-row planes.
    static let planes: [(h: Int, w: Int)] = [
        (56, 56), (28, 28), (14, 14), (7, 7), (2, 5), (9, 5), (5, 13), (3, 16), (2, 17), (17, 9), (13, 8), (11, 23),
        (6, 4), (1, 9),
    ]

    @Test(arguments: [1, 2], InstructionSet.available)
    func matchesReference(stride: Int, instructionSet: InstructionSet) throws {
        var random = SeededRandom(seed: UInt64(40 + stride))
        for (index, plane) in Self.planes.enumerated() {
            let channels = 5
            let conv = random.convolution(
                inputChannels: channels, outputChannels: channels, kernelSize: 3, stride: stride, padding: 1,
                groups: channels, relu: index % 2 == 0)
            let input = random.tensor(Shape(n: 1 + index % 2, c: channels, h: plane.h, w: plane.w))
            let (fast, reference) = try runBoth(
                .convolution(conv), [input], threads: 1 + index % 2, instructionSet: instructionSet)
            #expect(relativeError(fast, reference) < 1e-5, "\(instructionSet) stride \(stride) \(plane.h)×\(plane.w)")
        }
    }

    /// The direct path adds the same products in the same order as the padded copy does, so the
    /// two agree to the bit (the fast pass and the step-by-step executor rely on one answer).
    @Test(arguments: [1, 2], InstructionSet.available)
    func directPathEqualsPaddedPathBitForBit(stride: Int, instructionSet: InstructionSet) {
        let kernels = instructionSet.kernels
        var random = SeededRandom(seed: UInt64(50 + stride))
        var checked = 0
        for plane in Self.planes {
            let conv = random.convolution(
                inputChannels: 1, outputChannels: 1, kernelSize: 3, stride: stride, padding: 1, groups: 1, relu: false)
            let input = random.tensor(Shape(n: 1, c: 1, h: plane.h, w: plane.w))
            guard DepthwiseRows.applies(conv, input: input.shape) else { continue }
            let shape = try! Op.convolution(conv).outputShape(for: [input.shape])
            let padded = runPadded(conv, input, shape, kernels)
            let direct = runDirect(conv, input, shape, surroundedBy: 0, kernels)
            #expect(padded.storage == direct.storage, "stride \(stride) \(plane.h)×\(plane.w)")
            checked += 1
        }
        #expect(checked >= 6)
    }

    /// Loads that reach past a row's ends have those lanes zeroed, and no load leaves the plane:
    /// memory around the plane full of NaN changes nothing.
    @Test(arguments: [1, 2], InstructionSet.available)
    func directPathIgnoresMemoryAroundThePlane(stride: Int, instructionSet: InstructionSet) {
        let kernels = instructionSet.kernels
        var random = SeededRandom(seed: UInt64(60 + stride))
        for plane in Self.planes {
            let conv = random.convolution(
                inputChannels: 1, outputChannels: 1, kernelSize: 3, stride: stride, padding: 1, groups: 1, relu: true)
            let input = random.tensor(Shape(n: 1, c: 1, h: plane.h, w: plane.w))
            guard DepthwiseRows.applies(conv, input: input.shape) else { continue }
            let shape = try! Op.convolution(conv).outputShape(for: [input.shape])
            let clean = runDirect(conv, input, shape, surroundedBy: 0, kernels)
            let poisoned = runDirect(conv, input, shape, surroundedBy: .nan, kernels)
            #expect(clean.storage == poisoned.storage, "stride \(stride) \(plane.h)×\(plane.w)")
            #expect(!poisoned.storage.contains { !$0.isFinite })
        }
    }

    /// Eight channels at a time (`DepthwiseBlock`) give the bits of one plane at a time
    /// (`DepthwiseRows`), also for the channels left over past the last whole run of eight, with
    /// a folded channel shuffle, on one thread and on two.
    @Test(arguments: [1, 2], InstructionSet.available)
    func blocksEqualPlaneByPlaneBitForBit(stride: Int, instructionSet: InstructionSet) throws {
        let kernels = instructionSet.kernels
        var random = SeededRandom(seed: UInt64(70 + stride))
        let cases: [(h: Int, w: Int, channels: Int)] = stride == 1
            ? [(28, 28, 16), (14, 14, 24), (7, 7, 20), (2, 4, 8), (3, 5, 9), (9, 13, 17), (5, 7, 8), (13, 6, 12), (56, 56, 8)]
            : [(28, 28, 16), (14, 14, 24), (15, 15, 20), (8, 8, 8), (5, 9, 9), (9, 13, 17), (16, 11, 12), (27, 28, 8),
               (56, 56, 8)]
        var blocked = 0
        for (index, plane) in cases.enumerated() {
            let conv = random.convolution(
                inputChannels: plane.channels, outputChannels: plane.channels, kernelSize: 3, stride: stride, padding: 1,
                groups: plane.channels, relu: index % 2 == 0)
            let input = random.tensor(Shape(n: 1 + index % 2, c: plane.channels, h: plane.h, w: plane.w))
            let shape = try Op.convolution(conv).outputShape(for: [input.shape])
            guard DepthwiseBlock.applies(conv, input: input.shape, output: shape) else { continue }
            blocked += 1
            let shuffle: (groups: Int, convention: ShuffleConvention)? =
                plane.channels % 4 == 0 ? (4, index % 4 < 2 ? .paper : .authors) : nil
            // Plane by plane, each output channel from its (shuffled) source channel.
            var expected = Tensor(zeros: shape)
            for n in 0..<shape.n {
                for c in 0..<shape.c {
                    let source = shuffle.map {
                        Reference.shuffleSource(of: c, channels: shape.c, groups: $0.groups, convention: $0.convention)
                    } ?? c
                    let one = Convolution(
                        inputChannels: 1, outputChannels: 1, kernelSize: 3, stride: stride, padding: 1, groups: 1,
                        relu: conv.relu, weight: Array(conv.weight[(9 * c)..<(9 * c + 9)]), bias: [conv.bias[c]])
                    let plane = input.shape.plane
                    let from = (n * shape.c + source) * plane, to = (n * shape.c + c) * shape.plane
                    let result = runDirect(
                        one,
                        Tensor(
                            shape: Shape(n: 1, c: 1, h: input.shape.h, w: input.shape.w),
                            storage: Array(input.storage[from..<(from + plane)])),
                        Shape(n: 1, c: 1, h: shape.h, w: shape.w), surroundedBy: 0, kernels)
                    expected.storage.replaceSubrange(to..<(to + shape.plane), with: result.storage)
                }
            }
            for threads in [1, 2] {
                let context = KernelContext(threads: threads, instructionSet: instructionSet)
                var output = Tensor(zeros: shape)
                input.storage.withUnsafeBufferPointer { x in
                    output.storage.withUnsafeMutableBufferPointer { y in
                        Kernels.depthwiseConvolution(
                            conv, input: TensorView(base: x.baseAddress!, shape: input.shape),
                            output: MutableTensorView(base: y.baseAddress!, shape: shape),
                            fusion: Fusion(inputShuffle: shuffle), context: context)
                    }
                }
                let differing = zip(output.storage, expected.storage).filter { $0.0.bitPattern != $0.1.bitPattern }.count
                #expect(differing == 0, "stride \(stride) \(plane) on \(threads) threads, shuffle \(shuffle.map { "\($0)" } ?? "none")")
            }
        }
        #expect(blocked >= 6)
    }

    /// A block reads its eight planes and nothing around them: memory around each plane full of
    /// NaN changes nothing.
    @Test(arguments: [1, 2], InstructionSet.available)
    func blocksReadOnlyTheirPlanes(stride: Int, instructionSet: InstructionSet) {
        let kernels = instructionSet.kernels
        var random = SeededRandom(seed: UInt64(72 + stride))
        for (h, w) in stride == 1 ? [(7, 7), (2, 4), (14, 14), (3, 9)] : [(14, 14), (8, 8), (28, 28), (5, 9)] {
            guard DepthwiseBlock.applies(height: h, width: w, stride: stride) else { continue }
            let outputPlane = ((h - 1) / stride + 1) * ((w - 1) / stride + 1)
            let weight = random.floats(72), bias = random.floats(8)
            let planes = (0..<8).map { _ in random.floats(h * w) }
            func run(surroundedBy fill: Float) -> [Float] {
                let margin = 16, spacing = h * w + 2 * margin
                let buffer = UnsafeMutablePointer<Float>.allocate(capacity: 8 * spacing)
                buffer.initialize(repeating: fill, count: 8 * spacing)
                let scratchFloats = DepthwiseBlock.scratchFloats(height: h, width: w)
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scratchFloats + DepthwiseBlock.cellsFloats(height: h, width: w))
                scratch.initialize(repeating: fill, count: scratchFloats + DepthwiseBlock.cellsFloats(height: h, width: w))
                var output = [Float](repeating: 0, count: 8 * outputPlane)
                defer {
                    buffer.deallocate()
                    scratch.deallocate()
                }
                for c in 0..<8 { planes[c].withUnsafeBufferPointer { (buffer + c * spacing + margin).update(from: $0.baseAddress!, count: h * w) } }
                func plane(_ c: Int) -> UnsafePointer<Float> { UnsafePointer(buffer + c * spacing + margin) }
                DepthwiseBlock.prepare(scratch, height: h, width: w)
                DepthwiseBlock.writeCells(scratch + scratchFloats, height: h, width: w)
                let cells = UnsafeRawPointer(scratch + scratchFloats).assumingMemoryBound(to: Int32.self)
                weight.withUnsafeBufferPointer { weight in
                    bias.withUnsafeBufferPointer { bias in
                        output.withUnsafeMutableBufferPointer { out in
                            kernels.depthwiseBlock(DepthwiseBlock(
                                sources: (plane(0), plane(1), plane(2), plane(3), plane(4), plane(5), plane(6), plane(7)),
                                height: h, width: w, stride: stride, weight: weight.baseAddress!, bias: bias.baseAddress!,
                                relu: false, output: out.baseAddress!, outputStride: outputPlane, scratch: scratch,
                                cells: cells))
                        }
                    }
                }
                return output
            }
            let clean = run(surroundedBy: 0), poisoned = run(surroundedBy: .nan)
            #expect(zip(clean, poisoned).allSatisfy { $0.0.bitPattern == $0.1.bitPattern }, "\(h)×\(w)")
            #expect(!poisoned.contains { !$0.isFinite })
        }
    }

    @Test func appliesOnlyWhereItsReadsStayInThePlane() {
        func conv(stride: Int, kernelSize: Int = 3, padding: Int = 1) -> Convolution {
            Convolution(
                inputChannels: 1, outputChannels: 1, kernelSize: kernelSize, stride: stride, padding: padding, groups: 1,
                relu: false, weight: [Float](repeating: 0, count: kernelSize * kernelSize), bias: [0])
        }
        func plane(_ h: Int, _ w: Int) -> Shape { Shape(n: 1, c: 1, h: h, w: w) }
        #expect(DepthwiseRows.applies(conv(stride: 1), input: plane(7, 7)))
        #expect(DepthwiseRows.applies(conv(stride: 1), input: plane(14, 14)))
        #expect(DepthwiseRows.applies(conv(stride: 1), input: plane(28, 28)))
        #expect(!DepthwiseRows.applies(conv(stride: 1), input: plane(7, 4)))
        #expect(!DepthwiseRows.applies(conv(stride: 1), input: plane(1, 7)))
        #expect(DepthwiseRows.applies(conv(stride: 2), input: plane(56, 56)))
        #expect(DepthwiseRows.applies(conv(stride: 2), input: plane(14, 14)))
        #expect(!DepthwiseRows.applies(conv(stride: 2), input: plane(14, 7)))
        #expect(!DepthwiseRows.applies(conv(stride: 1, kernelSize: 5, padding: 2), input: plane(14, 14)))
        #expect(!DepthwiseRows.applies(conv(stride: 1, padding: 0), input: plane(14, 14)))
        func channels(_ c: Int, _ h: Int, _ w: Int) -> Shape { Shape(n: 1, c: c, h: h, w: w) }
        #expect(DepthwiseBlock.applies(conv(stride: 1), input: channels(8, 28, 28), output: channels(8, 28, 28)))
        #expect(DepthwiseBlock.applies(conv(stride: 1), input: channels(20, 7, 7), output: channels(20, 7, 7)))
        #expect(!DepthwiseBlock.applies(conv(stride: 1), input: channels(7, 7, 7), output: channels(7, 7, 7)))
        #expect(DepthwiseBlock.applies(conv(stride: 1), input: channels(8, 56, 56), output: channels(8, 56, 56)))
        #expect(!DepthwiseBlock.applies(conv(stride: 1), input: channels(8, 57, 56), output: channels(8, 57, 56)))
        #expect(!DepthwiseBlock.applies(conv(stride: 1), input: channels(8, 7, 3), output: channels(8, 7, 3)))
        #expect(DepthwiseBlock.applies(conv(stride: 2), input: channels(8, 14, 14), output: channels(8, 7, 7)))
        #expect(DepthwiseBlock.applies(conv(stride: 2), input: channels(8, 56, 56), output: channels(8, 28, 28)))
        #expect(!DepthwiseBlock.applies(conv(stride: 2), input: channels(8, 6, 6), output: channels(8, 3, 3)))
    }

    /// One plane through the padded copy (`PaddedPlane` + `DepthwisePlane`).
    private func runPadded(_ conv: Convolution, _ input: Tensor, _ shape: Shape, _ kernels: any KernelSet.Type) -> Tensor {
        let layout = Kernels.depthwiseLayout(conv, input: input.shape, output: shape)
        var output = Tensor(zeros: shape)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: layout.floats)
        defer { scratch.deallocate() }
        input.storage.withUnsafeBufferPointer { source in
            conv.weight.withUnsafeBufferPointer { weight in
                output.storage.withUnsafeMutableBufferPointer { out in
                    layout.fill(scratch, from: source.baseAddress!, padValue: 0)
                    let plane = DepthwisePlane(
                        layout: layout, padded: UnsafePointer(scratch), weight: weight.baseAddress!,
                        bias: conv.bias[0], relu: conv.relu, output: out.baseAddress!, outputHeight: shape.h,
                        outputWidth: shape.w)
                    kernels.depthwise(plane, kernelSize: 3)
                }
            }
        }
        return output
    }

    /// One plane through `DepthwiseRows`, the plane placed in the middle of a buffer whose other
    /// floats (and the scratch lines' slack) hold `fill`.
    private func runDirect(
        _ conv: Convolution, _ input: Tensor, _ shape: Shape, surroundedBy fill: Float, _ kernels: any KernelSet.Type
    ) -> Tensor {
        let margin = 64
        let count = input.shape.count
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: count + 2 * margin)
        buffer.initialize(repeating: fill, count: count + 2 * margin)
        let lineFloats = DepthwiseRows.scratchFloats(width: input.shape.w)
        let lines = UnsafeMutablePointer<Float>.allocate(capacity: lineFloats + margin)
        lines.initialize(repeating: fill, count: lineFloats + margin)
        defer {
            buffer.deallocate()
            lines.deallocate()
        }
        input.storage.withUnsafeBufferPointer { (buffer + margin).update(from: $0.baseAddress!, count: count) }
        DepthwiseRows.prepare(lines, width: input.shape.w)
        var output = Tensor(zeros: shape)
        conv.weight.withUnsafeBufferPointer { weight in
            output.storage.withUnsafeMutableBufferPointer { out in
                let plane = DepthwiseRows(
                    source: UnsafePointer(buffer + margin), height: input.shape.h, width: input.shape.w, lines: lines,
                    weight: weight.baseAddress!, bias: conv.bias[0], relu: conv.relu, output: out.baseAddress!,
                    outputHeight: shape.h, outputWidth: shape.w,
                    edges: DepthwiseRows.Edges(stride: conv.stride, width: input.shape.w, outputWidth: shape.w))
                kernels.depthwise3x3(plane, stride: conv.stride)
            }
        }
        return output
    }
}
