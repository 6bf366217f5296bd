extension Kernels {
    /// Any convolution (kernel, stride, padding, groups), as a matrix product per band of output
    /// rows: the band's input rows are padded and split into stride phases in scratch (see
    /// `PaddedPlane`), so the patch matrix `[inputs / groups · k · k, band pixels]` is gathered
    /// with whole-vector copies, then multiplied by the group's weights.
    ///
    /// - Parameters:
    ///   - input: `[n, inputChannels, h, w]`
    ///   - output: `[n, outputChannels, outputSize(h), outputSize(w)]`
    static func generalConvolution(
        _ conv: Convolution, input: TensorView, output: MutableTensorView, fusion: Fusion = .none,
        context: KernelContext
    ) {
        let bands = ConvolutionBands(conv, input: input.shape, output: output.shape)
        context.reserveScratch(floatsPerWorker: bands.scratchFloats)
        let items = output.shape.n * conv.groups
        conv.weight.withUnsafeBufferPointer { weight in
            conv.bias.withUnsafeBufferPointer { bias in
                guard let weight = weight.baseAddress, let bias = bias.baseAddress else { return }
                context.pool.parallelFor(items * bands.count, ConvolutionJob(
                    bands: bands, scratch: context.scratchSlices, groups: conv.groups,
                    rows: conv.outputChannels / conv.groups, weight: weight, bias: bias, relu: conv.relu, fusion: fusion,
                    input: input, output: output))
            }
        }
    }

    static func generalConvolutionScratch(_ conv: Convolution, input: Shape, output: Shape) -> Int {
        ConvolutionBands(conv, input: input, output: output).scratchFloats
    }
}

/// One task of `generalConvolution`: one band of output rows of one group of one batch item.
private struct ConvolutionJob: ParallelJob {
    var bands: ConvolutionBands
    var scratch: ScratchSlices
    var groups: Int
    /// Output channels per group.
    var rows: Int
    /// `[outputChannels, inputChannels / groups, k, k]`
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
        let inputsPerGroup = bands.inputsPerGroup, outputWidth = bands.outputWidth
        let planes = scratch.slice(worker: worker)
        let patches = planes + bands.planeFloats * inputsPerGroup
        let inputRows = bands.inputRows(for: outputRows)
        for ic in 0..<inputsPerGroup {
            bands.layout.fill(
                planes + ic * bands.planeFloats, from: input.plane(n: n, channel: group * inputsPerGroup + ic),
                padValue: 0, rows: inputRows)
        }
        let width = outputRows.count * outputWidth
        var row = 0
        for ic in 0..<inputsPerGroup {
            for ky in 0..<bands.kernelSize {
                for kx in 0..<bands.kernelSize {
                    let tap = planes + ic * bands.planeFloats + bands.layout.tapOffset(ky: ky, kx: kx)
                    for (index, oy) in outputRows.enumerated() {
                        bands.layout.copy(
                            tap + bands.layout.rowOffset(oy - outputRows.lowerBound),
                            to: patches + row * width + index * outputWidth, count: outputWidth)
                    }
                    row += 1
                }
            }
        }
        let first = outputRows.lowerBound * outputWidth
        MatrixMultiply(
            a: weight + group * rows * bands.depth, leadingA: bands.depth,
            b: UnsafePointer(patches), leadingB: width,
            c: output.plane(n: n, channel: group * rows) + first, leadingC: output.shape.plane,
            bias: bias + group * rows, rows: rows, depth: bands.depth, columns: width, relu: relu,
            residual: fusion.residual.map { $0.plane(n: n, channel: group * rows) + first },
            finalRelu: fusion.relu
        ).run()
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

    /// Padded input rows the band reads.
    func inputRows(for outputRows: Range<Int>) -> Range<Int> {
        (outputRows.lowerBound * stride)..<((outputRows.upperBound - 1) * stride + kernelSize)
    }
}
