import ShuffleKernelCore

extension Kernels {
    /// Any convolution (kernel, stride, padding, groups): a stem-shaped one (`stemApplies`) by
    /// the stem kernel, any other as `patchConvolution`. Both give the same bits.
    ///
    /// - Parameters:
    ///   - input: `[n, inputChannels, h, w]`
    ///   - output: `[n, outputChannels, outputSize(h), outputSize(w)]`
    static func generalConvolution(
        _ conv: Convolution, input: TensorView, output: MutableTensorView, fusion: Fusion = .none,
        context: KernelContext
    ) {
        if fusion.residual == nil && stemApplies(conv, input: input.shape) {
            // A ReLU after the convolution's own ReLU changes nothing.
            var conv = conv
            conv.relu = conv.relu || fusion.relu
            stemConvolution(conv, pools: false, input: input, output: output, context: context)
        } else {
            patchConvolution(conv, input: input, output: output, fusion: fusion, context: context)
        }
    }

    /// Any convolution as a matrix product per band of output rows: the band's input rows are
    /// padded and split into stride phases in scratch (see `PaddedPlane`), so the patch matrix
    /// `[inputs / groups · k · k, band pixels]` is gathered with whole-vector copies, then
    /// multiplied by the group's weights.
    static func patchConvolution(
        _ conv: Convolution, input: TensorView, output: MutableTensorView, fusion: Fusion = .none,
        context: KernelContext
    ) {
        let bands = ConvolutionBands(conv, input: input.shape, output: output.shape)
        context.reserveScratch(floatsPerWorker: bands.scratchFloats)
        let items = output.shape.n * conv.groups
        conv.packedWeight.withUnsafeBufferPointer { weight in
            conv.bias.withUnsafeBufferPointer { bias in
                guard let weight = weight.baseAddress, let bias = bias.baseAddress else { return }
                context.pool.parallelFor(items * bands.count, ConvolutionJob(
                    kernels: context.kernels, bands: bands, scratch: context.scratchSlices, groups: conv.groups,
                    rows: conv.outputChannels / conv.groups, weight: weight, bias: bias, relu: conv.relu, fusion: fusion,
                    input: input, output: output))
            }
        }
    }

    static func generalConvolutionScratch(_ conv: Convolution, input: Shape, output: Shape) -> Int {
        // A fused residual keeps a stem-shaped convolution on the patch path.
        let bands = ConvolutionBands(conv, input: input, output: output).scratchFloats
        return stemApplies(conv, input: input) ? max(bands, stemScratch(conv, pools: false, input: input)) : bands
    }
}

extension Kernels {
    /// A general convolution and a pooling of its output in one pass (ShuffleNet's stem: 3×3
    /// stride-2 convolution, then 3×3 stride-2 max pool). The stem's shapes go to
    /// `stemConvolution`; any other pair runs here, a band of pooled rows per task: the
    /// task computes the convolution rows its pooled rows' windows cover into scratch (a row
    /// shared with the band before is computed twice), then pools them. The convolution's
    /// 24 × 112 × 112 output (1.2 MB, more than twice a core's L2 cache on the machines this
    /// was measured on) never travels through memory. Each convolution output is computed as
    /// `generalConvolution` computes it and each pooled one as `pooling` does, so the result is
    /// bit-identical to running the two.
    ///
    /// - Parameters:
    ///   - input: `[n, inputChannels, h, w]`
    ///   - output: `[n, outputChannels, pooled h, pooled w]`
    ///   - relu: after the pooling.
    static func pooledConvolution(
        _ conv: Convolution, pool window: PoolWindow, average: Bool, input: TensorView, output: MutableTensorView,
        relu: Bool, context: KernelContext
    ) {
        if stemApplies(conv, input: input.shape, pool: (window, average)) {
            stemConvolution(conv, pools: true, input: input, output: output, poolRelu: relu, context: context)
            return
        }
        let plan = PooledBands(conv, pool: window, input: input.shape, output: output.shape)
        context.reserveScratch(floatsPerWorker: plan.scratchFloats)
        conv.packedWeight.withUnsafeBufferPointer { weight in
            conv.bias.withUnsafeBufferPointer { bias in
                guard let weight = weight.baseAddress, let bias = bias.baseAddress else { return }
                context.pool.parallelFor(output.shape.n * plan.count, PooledConvolutionJob(
                    kernels: context.kernels, plan: plan, scratch: context.scratchSlices, groups: conv.groups,
                    rows: conv.outputChannels / conv.groups, weight: weight, bias: bias, convolutionRelu: conv.relu,
                    average: average, relu: relu, input: input, output: output))
            }
        }
    }

    static func pooledConvolutionScratch(
        _ conv: Convolution, pool window: PoolWindow, average: Bool, input: Shape, output: Shape
    ) -> Int {
        if stemApplies(conv, input: input, pool: (window, average)) { return stemScratch(conv, pools: true, input: input) }
        return PooledBands(conv, pool: window, input: input, output: output).scratchFloats
    }
}

/// How `pooledConvolution` cuts the pooled output into bands of rows, and a worker's scratch:
/// the convolution rows of a band, then the convolution's and the pooling's own scratch.
struct PooledBands {
    var convolution: ConvolutionBands
    var window: PoolWindow
    var convolved: Shape
    var pooled: Shape
    var pooling: PoolScratch
    /// Pooled rows per band: eight bands (or one per row), so two or four threads share them evenly.
    var rowsPerBand: Int
    /// The most convolution rows a band needs.
    var convolvedRowsPerBand: Int

    init(_ conv: Convolution, pool window: PoolWindow, input: Shape, output: Shape) {
        self.window = window
        convolved = Shape(n: input.n, c: conv.outputChannels, h: conv.outputSize(input.h), w: conv.outputSize(input.w))
        pooled = output
        convolution = ConvolutionBands(conv, input: input, output: convolved)
        pooling = PoolScratch(window, input: convolved, output: output)
        rowsPerBand = max(1, (output.h + 7) / 8)
        convolvedRowsPerBand = min(convolved.h, (rowsPerBand - 1) * window.stride + window.kernelSize)
    }

    var count: Int { (pooled.h + rowsPerBand - 1) / rowsPerBand }

    func pooledRows(_ band: Int) -> Range<Int> { (band * rowsPerBand)..<min(pooled.h, (band + 1) * rowsPerBand) }

    /// Convolution rows the windows of pooled rows `rows` cover (inside the convolution's output).
    func convolvedRows(for rows: Range<Int>) -> Range<Int> {
        max(0, rows.lowerBound * window.stride - window.padding)
            ..< min(convolved.h, (rows.upperBound - 1) * window.stride - window.padding + window.kernelSize)
    }

    var bandFloats: Int { convolved.c * convolvedRowsPerBand * convolved.w }
    var scratchFloats: Int { bandFloats + convolution.scratchFloats + pooling.floats }
}

/// One task of `pooledConvolution`: one band of pooled rows of one batch item, every channel.
private struct PooledConvolutionJob: ParallelJob {
    var kernels: any KernelSet.Type
    var plan: PooledBands
    var scratch: ScratchSlices
    var groups: Int
    /// Output channels per group.
    var rows: Int
    var weight: UnsafePointer<Float>
    var bias: UnsafePointer<Float>
    var convolutionRelu: Bool
    var average: Bool
    var relu: Bool
    var input: TensorView
    var output: MutableTensorView

    func run(task: Int, worker: Int) {
        let n = task / plan.count
        let pooledRows = plan.pooledRows(task % plan.count)
        let convolvedRows = plan.convolvedRows(for: pooledRows)
        let band = scratch.slice(worker: worker)
        let convolutionScratch = band + plan.bandFloats
        let width = plan.convolved.w
        // Channel planes of the band, each holding rows `convolvedRows`.
        let bandPlane = convolvedRows.count * width
        let bands = plan.convolution
        for group in 0..<groups {
            var first = convolvedRows.lowerBound
            while first < convolvedRows.upperBound {
                let part = first..<min(convolvedRows.upperBound, first + bands.rowsPerBand)
                bands.compute(
                    part, of: input.plane(n: n, channel: group * bands.inputsPerGroup),
                    weight: weight + group * rows * bands.depth, bias: bias + group * rows, rows: rows,
                    relu: convolutionRelu, into: band + group * rows * bandPlane + (first - convolvedRows.lowerBound) * width,
                    outputStride: bandPlane, scratch: convolutionScratch, kernels: kernels)
                first = part.upperBound
            }
        }
        var plane = PoolPlane(
            plan.window, average: average, relu: relu, scratch: plan.pooling,
            memory: convolutionScratch + bands.scratchFloats, input: plan.convolved, output: plan.pooled)
        for channel in 0..<plan.convolved.c {
            // The band stands for the whole plane: the pooling reads only rows `convolvedRows`.
            plane.input = UnsafePointer(band + channel * bandPlane) - convolvedRows.lowerBound * width
            plane.output = output.plane(n: n, channel: channel)
            kernels.pool(plane, average: average, rows: pooledRows)
        }
    }
}

/// One task of `generalConvolution`: one band of output rows of one group of one batch item.
private struct ConvolutionJob: ParallelJob {
    var kernels: any KernelSet.Type
    var bands: ConvolutionBands
    var scratch: ScratchSlices
    var groups: Int
    /// Output channels per group.
    var rows: Int
    /// `Convolution.packedWeight`
    var weight: UnsafePointer<Float>
    var bias: UnsafePointer<Float>
    var relu: Bool
    var fusion: Fusion
    var input: TensorView
    var output: MutableTensorView

    func run(task: Int, worker: Int) {
        let item = task / bands.count
        let n = item / groups, group = item % groups
        let outputRows = bands.outputRows(task % bands.count)
        let first = outputRows.lowerBound * bands.outputWidth
        bands.compute(
            outputRows, of: input.plane(n: n, channel: group * bands.inputsPerGroup),
            weight: weight + group * rows * bands.depth, bias: bias + group * rows, rows: rows, relu: relu,
            into: output.plane(n: n, channel: group * rows) + first, outputStride: output.shape.plane,
            residual: fusion.residual.map { $0.plane(n: n, channel: group * rows) + first }, finalRelu: fusion.relu,
            scratch: scratch.slice(worker: worker), kernels: kernels)
    }
}

/// How `generalConvolution` cuts the output into bands of rows, and the scratch a band needs.
struct ConvolutionBands {
    var layout: PaddedPlane
    /// Weights per output channel: `inputs / groups · k · k`.
    var depth: Int
    var kernelSize: Int
    var stride: Int
    var outputHeight: Int
    /// Output rows per band: as many as keep the patch matrix near 64 KiB.
    var rowsPerBand: Int
    /// Floats of one input channel's padded band.
    var planeFloats: Int
    var inputsPerGroup: Int
    var outputWidth: Int

    init(_ conv: Convolution, input: Shape, output: Shape) {
        layout = PaddedPlane(
            height: input.h, width: input.w, padding: conv.padding, stride: conv.stride, kernelSize: conv.kernelSize,
            outputWidth: output.w)
        inputsPerGroup = conv.inputChannels / conv.groups
        depth = inputsPerGroup * conv.kernelSize * conv.kernelSize
        kernelSize = conv.kernelSize
        stride = conv.stride
        outputHeight = output.h
        outputWidth = output.w
        rowsPerBand = max(1, min(output.h, 8_192 / max(1, depth * output.w)))
        // A band of r output rows reads (r - 1)·stride + k padded input rows.
        planeFloats = layout.floats(rows: (rowsPerBand - 1) * conv.stride + conv.kernelSize)
    }

    var count: Int { (outputHeight + rowsPerBand - 1) / rowsPerBand }

    /// Planes for every input channel of a group, then the patch matrix; the patch rows get
    /// 8 floats of slack for the copies' overlapped last vectors.
    var scratchFloats: Int { planeFloats * inputsPerGroup + depth * rowsPerBand * outputWidth + 8 }

    func outputRows(_ band: Int) -> Range<Int> {
        (band * rowsPerBand)..<min(outputHeight, (band + 1) * rowsPerBand)
    }

    /// Computes output rows `outputRows` (at most `rowsPerBand` of them) of one group of one
    /// batch item: its `inputsPerGroup` input planes start at `input`, its `rows` output
    /// channels' planes at `output`, `outputStride` floats apart, from the band's first row on;
    /// `weight` is the group's part of `Convolution.packedWeight`.
    func compute(
        _ outputRows: Range<Int>, of input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        bias: UnsafePointer<Float>, rows: Int, relu: Bool, into output: UnsafeMutablePointer<Float>, outputStride: Int,
        residual: UnsafePointer<Float>? = nil, finalRelu: Bool = false, scratch planes: UnsafeMutablePointer<Float>,
        kernels: any KernelSet.Type
    ) {
        let patches = planes + planeFloats * inputsPerGroup
        let inputRows = self.inputRows(for: outputRows)
        let inputPlane = layout.height * layout.width
        for ic in 0..<inputsPerGroup {
            layout.fill(planes + ic * planeFloats, from: input + ic * inputPlane, padValue: 0, rows: inputRows)
        }
        let width = outputRows.count * outputWidth
        var row = 0
        for ic in 0..<inputsPerGroup {
            for ky in 0..<kernelSize {
                for kx in 0..<kernelSize {
                    let tap = planes + ic * planeFloats + layout.tapOffset(ky: ky, kx: kx)
                    for (index, oy) in outputRows.enumerated() {
                        layout.copy(
                            tap + layout.rowOffset(oy - outputRows.lowerBound),
                            to: patches + row * width + index * outputWidth, count: outputWidth)
                    }
                    row += 1
                }
            }
        }
        kernels.multiply(MatrixMultiply(
            a: weight, panels: RowPanels(rows: rows), b: UnsafePointer(patches), leadingB: width, c: output,
            leadingC: outputStride, bias: bias, depth: depth, columns: width, relu: relu, residual: residual,
            finalRelu: finalRelu
        ), wideTiles: kernels.wideTiles)
    }

    /// Padded input rows the band reads.
    func inputRows(for outputRows: Range<Int>) -> Range<Int> {
        (outputRows.lowerBound * stride)..<((outputRows.upperBound - 1) * stride + kernelSize)
    }
}
