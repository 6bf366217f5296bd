import ShuffleKernelCore

extension Kernels {
    /// Max or average pooling over square windows. Both reductions are separable, so each
    /// output row first combines its window's input rows column by column (whole vectors, no
    /// padding needed: rows outside the input are simply left out), then that one combined row
    /// is padded and split into stride phases (see `PaddedPlane`) and combined across the window
    /// eight output columns at a time.
    ///
    /// Max pooling pads with -∞ so padding never wins. Average pooling pads with 0 and divides
    /// by the window clipped to the padded input (`count_include_pad = true`) or to the input
    /// itself (`false`); either count is (rows in range) × (columns in range), so it is kept as
    /// one factor per output row and a vector of factors per output column.
    ///
    /// - Parameters:
    ///   - input: `[n, c, h, w]`
    ///   - output: `[n, c, window.outputSize(h), window.outputSize(w)]`
    static func pooling(
        _ window: PoolWindow, average: Bool, input: TensorView, output: MutableTensorView, relu: Bool = false,
        context: KernelContext
    ) {
        let scratch = PoolScratch(window, input: input.shape, output: output.shape)
        let blocks = PoolBlock.applies(window, input: input.shape, output: output.shape)
        context.reserveScratch(floatsPerWorker: poolingScratch(window, input: input.shape, output: output.shape))
        // A worker's scratch: the plane runner's, then (for blocks) a block's.
        let cells = blocks
            ? DepthwiseBlock.prepareScratch(
                context, at: scratch.floats, height: input.shape.h, width: input.shape.w,
                padValue: PoolBlock.padValue(average: average))
            : nil
        let split = ChannelSplit(
            planes: output.shape.n * output.shape.c, workPerPlane: input.shape.plane * window.kernelSize,
            multipleOf: blocks ? 8 : 1)
        context.pool.parallelFor(split.tasks, PoolingJob(
            kernels: context.kernels, split: split, window: window, average: average, relu: relu, scratch: scratch,
            cells: cells, memory: context.scratchSlices, input: input, output: output))
    }

    /// Scratch per worker: the plane runner's (`PoolScratch`), then, where planes go eight at a
    /// time, a block's and its cell table.
    static func poolingScratch(_ window: PoolWindow, input: Shape, output: Shape) -> Int {
        let blockFloats = PoolBlock.applies(window, input: input, output: output)
            ? DepthwiseBlock.preparedFloats(height: input.h, width: input.w) : 0
        return PoolScratch(window, input: input, output: output).floats + blockFloats
    }

    /// Cells the window of output `index` covers along one axis: of the padded input when the
    /// window counts padding, else of the input alone.
    static func windowCount(_ window: PoolWindow, at index: Int, size: Int) -> Int {
        let start = index * window.stride - window.padding
        let end = min(start + window.kernelSize, size + window.padding)
        guard !window.countsPadding else { return max(1, end - start) }
        return max(1, min(end, size) - max(start, 0))
    }
}

/// One task of `pooling`: a run of whole channel planes.
private struct PoolingJob: ParallelJob {
    var kernels: any KernelSet.Type
    var split: ChannelSplit
    var window: PoolWindow
    var average: Bool
    var relu: Bool
    var scratch: PoolScratch
    /// When aligned runs of eight channels go through `PoolBlock` (the split's tasks then hold
    /// whole runs; the channels left over go plane by plane): the blocks' shared cell table.
    var cells: UnsafePointer<Int32>?
    var memory: ScratchSlices
    var input: TensorView
    var output: MutableTensorView

    func run(task: Int, worker: Int) {
        let slice = memory.slice(worker: worker)
        var plane = PoolPlane(
            window, average: average, relu: relu, scratch: scratch, memory: slice, input: input.shape,
            output: output.shape)
        let channels = output.shape.c
        let planes = split.planes(task)
        var index = planes.lowerBound
        while index < planes.upperBound {
            let n = index / channels, c = index % channels
            if let cells, DepthwiseBlock.runStarts(at: index, channel: c, of: channels, within: planes) {
                func source(_ k: Int) -> UnsafePointer<Float> { input.plane(n: n, channel: c + k) }
                kernels.poolBlock(PoolBlock(
                    sources: (source(0), source(1), source(2), source(3), source(4), source(5), source(6), source(7)),
                    height: input.shape.h, width: input.shape.w, average: average, relu: relu,
                    rowScales: plane.rowScales, columnScales: plane.columnScales,
                    output: output.plane(n: n, channel: c), outputStride: output.shape.plane,
                    scratch: slice + scratch.floats, cells: cells))
                index += 8
                continue
            }
            plane.input = input.plane(n: n, channel: c)
            plane.output = output.plane(n: n, channel: c)
            kernels.pool(plane, average: average, rows: nil)
            index += 1
        }
    }
}

extension PoolBlock {
    /// Whether `window` runs eight channels at a time (`KernelSet.poolBlock`): ShuffleNet's 3×3
    /// windows of stride 2 and padding 1, on planes `DepthwiseBlock` takes up to 28 × 28 (a
    /// 56 × 56 plane measured slower in blocks than plane by plane), eight channels or more.
    static func applies(_ window: PoolWindow, input: Shape, output: Shape) -> Bool {
        window.kernelSize == 3 && window.stride == 2 && window.padding == 1 && output.c >= 8
            && output.h == (input.h - 1) / 2 + 1 && output.w == (input.w - 1) / 2 + 1
            && (input.h + 2) * (input.w + 2) <= 30 * 30
            && DepthwiseBlock.applies(height: input.h, width: input.w, stride: 2)
    }
}

extension PoolPlane {
    /// A plane runner working in `memory` (one worker's `PoolScratch`), for planes of `input`'s
    /// and `output`'s sizes; set `input` and `output` to each plane before running it.
    init(
        _ window: PoolWindow, average: Bool, relu: Bool, scratch: PoolScratch, memory: UnsafeMutablePointer<Float>,
        input: Shape, output: Shape
    ) {
        if average {
            for ox in 0..<scratch.line.rowLength {
                memory[scratch.columnScales + ox] = 1 / Float(Kernels.windowCount(window, at: ox, size: input.w))
            }
            for oy in 0..<output.h {
                memory[scratch.rowScales + oy] = 1 / Float(Kernels.windowCount(window, at: oy, size: input.h))
            }
        }
        self.init(
            window: Window(kernelSize: window.kernelSize, stride: window.stride, padding: window.padding), line: scratch.line, inputHeight: input.h, inputWidth: input.w, input: memory,
            combined: memory + PoolPlane.margin, combinedStride: scratch.rowFloats, phases: memory + scratch.phases,
            columnScales: UnsafePointer(memory + scratch.columnScales),
            rowScales: UnsafePointer(memory + scratch.rowScales), output: memory, outputHeight: output.h,
            outputWidth: output.w, relu: relu)
    }
}

/// A worker's pooling scratch: a combined row (`[w]` + slack) per output row, the padded phases
/// of one, 1 / (window columns) per output column and 1 / (window rows) per output row (a
/// division per row cost more than the row's adds on 7×7 planes).
struct PoolScratch {
    /// One padded row dealt into stride phases.
    var line: PaddedPlane
    /// Floats from one combined row to the next.
    var rowFloats: Int
    var phases: Int
    var columnScales: Int
    var rowScales: Int
    var floats: Int

    /// Floats before the combined row, where its left padding goes.
    static var margin: Int { PoolPlane.margin }

    init(_ window: PoolWindow, input: Shape, output: Shape) {
        line = PaddedPlane(
            height: 1, width: input.w, padding: window.padding, stride: window.stride, kernelSize: window.kernelSize,
            outputWidth: output.w)
        // A combined row with room for padding and for the widest vector read on either side;
        // one per output row, so a plane's rows can all be combined before any is read back.
        rowFloats = Self.margin + (input.w + 2 * window.padding + 7) / 8 * 8 + 32
        phases = rowFloats * max(1, output.h)
        columnScales = phases + line.floats(rows: 1)
        rowScales = columnScales + line.rowLength
        floats = rowScales + max(1, output.h)
    }
}
