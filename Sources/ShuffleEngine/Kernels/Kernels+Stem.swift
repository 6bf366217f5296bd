import ShuffleKernelCore

extension Kernels {
    /// Whether `stemConvolution` runs `conv` on an input of `input`'s shape, pooled by `pool`
    /// when given (only a 3×3 stride-2 max pool with padding 1 folds into the stem kernel).
    static func stemApplies(_ conv: Convolution, input: Shape, pool: (window: PoolWindow, average: Bool)? = nil) -> Bool {
        if let pool, pool.average || pool.window != PoolWindow(kernelSize: 3, stride: 2, padding: 1) { return false }
        return StemConvolution.applies(
            kernelSize: conv.kernelSize, stride: conv.stride, groups: conv.groups, inputChannels: conv.inputChannels,
            padding: conv.padding, inputWidth: input.w, inputHeight: input.h)
    }

    /// A 3×3 stride-2 convolution of few input channels, with the 3×3 stride-2 max pool after it
    /// folded in when `pools` (ShuffleNet's stem), by `KernelSet.stem`: bands of output rows
    /// (pooled rows when pooling) per task. Each output has the bits `generalConvolution`'s
    /// patch-matrix path (and `pooling` after it) would give it, however the rows are banded.
    ///
    /// - Parameters:
    ///   - input: `[n, inputChannels, h, w]`
    ///   - output: `[n, outputChannels, oh, ow]`, the convolution's or (`pools`) the pooling's output.
    ///   - poolRelu: ReLU after the pooling.
    static func stemConvolution(
        _ conv: Convolution, pools: Bool, input: TensorView, output: MutableTensorView, poolRelu: Bool = false,
        context: KernelContext
    ) {
        let bands = StemBands(conv, pools: pools, input: input.shape, threads: context.threads)
        context.reserveScratch(floatsPerWorker: stemScratch(conv, pools: pools, input: input.shape))
        conv.weight.withUnsafeBufferPointer { weight in
            conv.bias.withUnsafeBufferPointer { bias in
                guard let weight = weight.baseAddress, let bias = bias.baseAddress else { return }
                context.pool.parallelFor(input.shape.n * bands.count, StemJob(
                    kernels: context.kernels, bands: bands, scratch: context.scratchSlices, conv: conv, weight: weight,
                    bias: bias, pools: pools, poolRelu: poolRelu, input: input, output: output))
            }
        }
    }

    static func stemScratch(_ conv: Convolution, pools: Bool, input: Shape) -> Int {
        StemConvolution.scratchFloats(
            inputChannels: conv.inputChannels, inputWidth: input.w, padding: conv.padding,
            outputChannels: conv.outputChannels, pools: pools)
    }
}

/// How `stemConvolution` cuts a batch item's output rows (pooled rows when pooling) into bands:
/// one on one thread, else eight (or one per row), so two or four threads share them evenly.
/// Pooled bands recompute the one convolution row they share; the bits do not depend on the
/// banding.
struct StemBands {
    var rows: Int
    var rowsPerBand: Int

    init(_ conv: Convolution, pools: Bool, input: Shape, threads: Int) {
        let height = StemConvolution.outputSize(input.h, padding: conv.padding)
        rows = pools ? StemConvolution.pooledSize(height) : height
        rowsPerBand = threads == 1 ? max(1, rows) : max(1, (rows + 7) / 8)
    }

    var count: Int { (rows + rowsPerBand - 1) / rowsPerBand }

    func rows(_ band: Int) -> Range<Int> { (band * rowsPerBand)..<min(rows, (band + 1) * rowsPerBand) }
}

/// One task of `stemConvolution`: one band of rows of one batch item, every channel.
private struct StemJob: ParallelJob {
    var kernels: any KernelSet.Type
    var bands: StemBands
    var scratch: ScratchSlices
    var conv: Convolution
    var weight: UnsafePointer<Float>
    var bias: UnsafePointer<Float>
    var pools: Bool
    var poolRelu: Bool
    var input: TensorView
    var output: MutableTensorView

    func run(task: Int, worker: Int) {
        let n = task / bands.count
        let description = StemConvolution(
            input: input.plane(n: n, channel: 0), inputChannels: conv.inputChannels, inputHeight: input.shape.h,
            inputWidth: input.shape.w, padding: conv.padding, weight: weight, bias: bias,
            outputChannels: conv.outputChannels, relu: conv.relu, output: output.plane(n: n, channel: 0), pools: pools,
            poolRelu: poolRelu, scratch: scratch.slice(worker: worker))
        kernels.stem(description, rows: bands.rows(task % bands.count))
    }
}
