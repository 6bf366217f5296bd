import ShuffleKernelCore

extension Kernels {
    /// Depthwise convolution (`groups == inputChannels == outputChannels`), any kernel, stride
    /// and padding, every output row eight columns at a time as `Σ_taps w[ky, kx] · x[tap]`.
    /// ShuffleNet's 3×3 windows (padding 1, stride 1 or 2) read each plane where it lies (see
    /// `DepthwiseRows`); other windows, and planes too small for that, read a copy padded in
    /// scratch (see `PaddedPlane`).
    ///
    /// - Parameters:
    ///   - conv: weight `[channels, 1, k, k]`, bias `[channels]`
    ///   - input: `[n, channels, h, w]`
    ///   - output: `[n, channels, outputSize(h), outputSize(w)]`
    static func depthwiseConvolution(
        _ conv: Convolution, input: TensorView, output: MutableTensorView, fusion: Fusion = .none,
        context: KernelContext
    ) {
        let layout = depthwiseLayout(conv, input: input.shape, output: output.shape)
        let blocks = DepthwiseBlock.applies(conv, input: input.shape, output: output.shape)
        context.reserveScratch(floatsPerWorker: depthwiseScratch(conv, input: input.shape, output: output.shape))
        // A worker's scratch: the lines of `DepthwiseRows`, then (for blocks) a block's.
        let cells = blocks
            ? DepthwiseBlock.prepareScratch(
                context, at: DepthwiseRows.scratchFloats(width: input.shape.w), height: input.shape.h,
                width: input.shape.w)
            : nil
        let channels = output.shape.c
        let work = output.shape.plane * conv.kernelSize * conv.kernelSize
        let split = ChannelSplit(planes: output.shape.n * channels, workPerPlane: work, multipleOf: blocks ? 8 : 1)
        conv.weight.withUnsafeBufferPointer { weight in
            conv.bias.withUnsafeBufferPointer { bias in
                guard let weight = weight.baseAddress, let bias = bias.baseAddress else { return }
                context.pool.parallelFor(split.tasks, DepthwiseJob(
                    kernels: context.kernels, split: split, layout: layout, scratch: context.scratchSlices,
                    direct: DepthwiseRows.applies(conv, input: input.shape), cells: cells,
                    edges: DepthwiseRows.Edges(stride: conv.stride, width: input.shape.w, outputWidth: output.shape.w),
                    kernelSize: conv.kernelSize,
                    weight: weight, bias: bias, relu: conv.relu || fusion.relu, inputShuffle: fusion.inputShuffle,
                    input: input, output: output))
            }
        }
    }

    /// Scratch per worker: a padded plane, or the lines of `DepthwiseRows` (then, where planes
    /// go eight at a time, a `DepthwiseBlock`'s scratch and its cell table).
    static func depthwiseScratch(_ conv: Convolution, input: Shape, output: Shape) -> Int {
        guard DepthwiseRows.applies(conv, input: input) else { return depthwiseLayout(conv, input: input, output: output).floats }
        let blockFloats = DepthwiseBlock.applies(conv, input: input, output: output)
            ? DepthwiseBlock.preparedFloats(height: input.h, width: input.w) : 0
        return DepthwiseRows.scratchFloats(width: input.w) + blockFloats
    }

    /// The padded copy of one input plane that `depthwiseConvolution` keeps in scratch.
    static func depthwiseLayout(_ conv: Convolution, input: Shape, output: Shape) -> PaddedPlane {
        PaddedPlane(
            height: input.h, width: input.w, padding: conv.padding, stride: conv.stride,
            kernelSize: conv.kernelSize, outputWidth: output.w)
    }
}

/// One task of `depthwiseConvolution`: a run of whole channel planes.
private struct DepthwiseJob: ParallelJob {
    var kernels: any KernelSet.Type
    var split: ChannelSplit
    var layout: PaddedPlane
    var scratch: ScratchSlices
    /// Whether planes are read directly (`DepthwiseRows`) rather than through a padded copy.
    var direct: Bool
    /// When aligned runs of eight channels go through `DepthwiseBlock` (the split's tasks then
    /// hold whole runs; the channels left over go plane by plane): the blocks' shared cell table.
    var cells: UnsafePointer<Int32>?
    /// Built once per call: a mask is built lane by lane.
    var edges: DepthwiseRows.Edges
    var kernelSize: Int
    /// `[channels, 1, k, k]`
    var weight: UnsafePointer<Float>
    var bias: UnsafePointer<Float>
    var relu: Bool
    var inputShuffle: (groups: Int, convention: ShuffleConvention)?
    var input: TensorView
    var output: MutableTensorView

    func run(task: Int, worker: Int) {
        let padded = scratch.slice(worker: worker)
        let channels = output.shape.c
        let planes = split.planes(task)
        if direct { DepthwiseRows.prepare(padded, width: input.shape.w) }
        let blockScratch = padded + DepthwiseRows.scratchFloats(width: input.shape.w)
        var index = planes.lowerBound
        while index < planes.upperBound {
            let n = index / channels, c = index % channels
            if let cells, DepthwiseBlock.runStarts(at: index, channel: c, of: channels, within: planes) {
                kernels.depthwiseBlock(DepthwiseBlock(
                    sources: (
                        sourcePlane(n, c), sourcePlane(n, c + 1), sourcePlane(n, c + 2), sourcePlane(n, c + 3),
                        sourcePlane(n, c + 4), sourcePlane(n, c + 5), sourcePlane(n, c + 6), sourcePlane(n, c + 7)),
                    height: input.shape.h, width: input.shape.w, stride: layout.stride, weight: weight + c * 9,
                    bias: bias + c, relu: relu,
                    output: output.plane(n: n, channel: c), outputStride: output.shape.plane, scratch: blockScratch,
                    cells: cells))
                index += 8
                continue
            }
            defer { index += 1 }
            let source = sourceChannel(c)
            if direct {
                let plane = DepthwiseRows(
                    source: input.plane(n: n, channel: source), height: input.shape.h, width: input.shape.w,
                    lines: padded, weight: weight + c * 9, bias: bias[c], relu: relu,
                    output: output.plane(n: n, channel: c), outputHeight: output.shape.h, outputWidth: output.shape.w,
                    edges: edges)
                kernels.depthwise3x3(plane, stride: layout.stride)
                continue
            }
            layout.fill(
                padded, from: input.plane(n: n, channel: source), padValue: 0, bordersReady: index != planes.lowerBound)
            kernels.depthwise(DepthwisePlane(
                layout: layout, padded: UnsafePointer(padded), weight: weight + c * kernelSize * kernelSize,
                bias: bias[c], relu: relu, output: output.plane(n: n, channel: c),
                outputHeight: output.shape.h, outputWidth: output.shape.w
            ), kernelSize: kernelSize)
        }
    }
}

/// Cuts `planes` independent channel planes into tasks of whole planes, each about 20k
/// multiply-adds or more (a multiple of `multipleOf` planes); the cut depends only on the shapes.
struct ChannelSplit {
    var planes: Int
    var planesPerTask: Int

    init(planes: Int, workPerPlane: Int, multipleOf step: Int = 1) {
        self.planes = planes
        planesPerTask = (max(1, 20_000 / max(1, workPerPlane)) + step - 1) / step * step
    }

    var tasks: Int { (planes + planesPerTask - 1) / planesPerTask }

    func planes(_ task: Int) -> Range<Int> { (task * planesPerTask)..<min(planes, (task + 1) * planesPerTask) }
}

extension DepthwiseJob {
    /// The input channel output channel `c` reads: `c`, or its source under a folded shuffle.
    @inline(__always)
    func sourceChannel(_ c: Int) -> Int {
        guard let shuffle = inputShuffle else { return c }
        return Reference.shuffleSource(of: c, channels: output.shape.c, groups: shuffle.groups, convention: shuffle.convention)
    }

    @inline(__always)
    func sourcePlane(_ n: Int, _ c: Int) -> UnsafePointer<Float> { input.plane(n: n, channel: sourceChannel(c)) }
}

extension DepthwiseBlock {
    /// Readies every worker's block scratch, `at` floats into its slice, for planes of `height`
    /// × `width`, once per call rather than per task: the border filled with `padValue`, and
    /// after worker 0's block the table of where each pixel goes, which every task reads.
    /// Returns the table.
    static func prepareScratch(
        _ context: KernelContext, at offset: Int, height: Int, width: Int, padValue: Float = 0
    ) -> UnsafePointer<Int32> {
        for worker in 0..<context.pool.threads {
            prepare(context.scratchSlices.slice(worker: worker) + offset, height: height, width: width, padValue: padValue)
        }
        let table = context.scratchSlices.slice(worker: 0) + offset + scratchFloats(height: height, width: width)
        writeCells(table, height: height, width: width)
        return UnsafeRawPointer(table).assumingMemoryBound(to: Int32.self)
    }

    /// Floats `prepareScratch` needs in each worker's slice past `at`: a block's scratch and the
    /// cell table.
    static func preparedFloats(height: Int, width: Int) -> Int {
        scratchFloats(height: height, width: width) + cellsFloats(height: height, width: width)
    }

    /// Whether plane `index` (channel `c` of `channels`) starts a run of eight channels a task
    /// with `planes` computes as one block.
    @inline(__always)
    static func runStarts(at index: Int, channel c: Int, of channels: Int, within planes: Range<Int>) -> Bool {
        c % 8 == 0 && c + 8 <= channels && index + 8 <= planes.upperBound
    }

    /// Whether `conv` runs eight channels at a time (`KernelSet.depthwiseBlock`): ShuffleNet's
    /// 3×3 windows (padding 1, stride 1 or 2) on planes `DepthwiseBlock` takes, eight channels
    /// or more.
    static func applies(_ conv: Convolution, input: Shape, output: Shape) -> Bool {
        output.c >= 8 && DepthwiseRows.applies(conv, input: input)
            && applies(height: input.h, width: input.w, stride: conv.stride)
    }
}

extension DepthwiseRows {
    /// Whether `conv` on planes of `shape` runs in place (`KernelSet.depthwise3x3`). Narrower
    /// planes could read past their end from an inner row, and take the padded path.
    static func applies(_ conv: Convolution, input shape: Shape) -> Bool {
        guard conv.kernelSize == 3 && conv.padding == 1 && shape.h >= 2 else { return false }
        switch conv.stride {
        case 1: return shape.w >= 5
        case 2: return shape.w >= 8
        default: return false
        }
    }
}
