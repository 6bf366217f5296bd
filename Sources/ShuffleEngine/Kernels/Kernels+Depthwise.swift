extension Kernels {
    /// Depthwise convolution (`groups == inputChannels == outputChannels`), any kernel, stride
    /// and padding: each channel's plane is padded into scratch (see `PaddedPlane`), then every
    /// output row is computed eight columns at a time as `Σ_taps w[ky, kx] · x[tap]`.
    ///
    /// - Parameters:
    ///   - conv: weight `[channels, 1, k, k]`, bias `[channels]`
    ///   - input: `[n, channels, h, w]`
    ///   - output: `[n, channels, outputSize(h), outputSize(w)]`
    static func depthwiseConvolution(
        _ conv: Convolution, input: TensorView, output: MutableTensorView, context: KernelContext
    ) {
        let layout = PaddedPlane(
            height: input.shape.h, width: input.shape.w, padding: conv.padding, stride: conv.stride,
            kernelSize: conv.kernelSize, outputWidth: output.shape.w)
        context.reserveScratch(floatsPerWorker: layout.floats)
        let channels = output.shape.c
        let work = output.shape.plane * conv.kernelSize * conv.kernelSize
        let split = ChannelSplit(planes: output.shape.n * channels, workPerPlane: work)
        conv.weight.withUnsafeBufferPointer { weight in
            conv.bias.withUnsafeBufferPointer { bias in
                guard let weight = weight.baseAddress, let bias = bias.baseAddress else { return }
                context.pool.parallelFor(split.tasks) { task, worker in
                    let padded = context.scratch(worker: worker)
                    for index in split.planes(task) {
                        let n = index / channels, c = index % channels
                        layout.fill(padded, from: input.plane(n: n, channel: c), padValue: 0)
                        let plane = DepthwisePlane(
                            layout: layout, padded: UnsafePointer(padded), weight: weight + c * conv.kernelSize * conv.kernelSize,
                            bias: bias[c], relu: conv.relu, output: output.plane(n: n, channel: c),
                            outputHeight: output.shape.h, outputWidth: output.shape.w)
                        if conv.kernelSize == 3 { plane.run(kernelSize: 3) } else { plane.run(kernelSize: conv.kernelSize) }
                    }
                }
            }
        }
    }
}

/// One channel of a depthwise convolution over a padded plane.
struct DepthwisePlane {
    var layout: PaddedPlane
    var padded: UnsafePointer<Float>
    /// `[k, k]`
    var weight: UnsafePointer<Float>
    var bias: Float
    var relu: Bool
    /// `[outputHeight, outputWidth]`
    var output: UnsafeMutablePointer<Float>
    var outputHeight: Int
    var outputWidth: Int

    /// Inlined with a literal `kernelSize` the tap loops unroll completely.
    @inline(__always)
    func run(kernelSize k: Int) {
        let shift = Vector(repeating: bias)
        for oy in 0..<outputHeight {
            let window = padded + layout.rowOffset(oy)
            let row = output + oy * outputWidth
            var x = 0
            while x < outputWidth {
                // A last partial vector moves back to overlap the previous one when it can, so
                // it is stored whole; the overlapped outputs get the same values again.
                let start = outputWidth - x < 8 && outputWidth >= 8 ? outputWidth - 8 : x
                var sum = Vector()
                for ky in 0..<k {
                    for kx in 0..<k {
                        let tap = window + layout.tapOffset(ky: ky, kx: kx) + start
                        sum = multiplyAdd(sum, Vector(repeating: weight[ky * k + kx]), tap.vector(at: 0))
                    }
                }
                var value = sum + shift
                if relu { value = rectified(value) }
                if outputWidth - start >= 8 {
                    row.store(value, at: start)
                } else {
                    row.store(value, at: start, count: outputWidth - start)
                }
                x = start + 8
            }
        }
    }
}

/// Cuts `planes` independent channel planes into tasks of whole planes, each about 20k
/// multiply-adds or more; the cut depends only on the shapes.
struct ChannelSplit {
    var planes: Int
    var planesPerTask: Int

    init(planes: Int, workPerPlane: Int) {
        self.planes = planes
        planesPerTask = max(1, 20_000 / max(1, workPerPlane))
    }

    var tasks: Int { (planes + planesPerTask - 1) / planesPerTask }

    func planes(_ task: Int) -> Range<Int> { (task * planesPerTask)..<min(planes, (task + 1) * planesPerTask) }
}
