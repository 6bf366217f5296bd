extension Kernels {
    /// Any convolution (kernel, stride, padding, groups): for each strip of output pixels, the
    /// input patches it reads are gathered into scratch (`[inputs / groups · k · k, strip]`, an
    /// "im2col" matrix small enough for the L1/L2 cache) and multiplied by the group's weights.
    ///
    /// - Parameters:
    ///   - input: `[n, inputChannels, h, w]`
    ///   - output: `[n, outputChannels, outputSize(h), outputSize(w)]`
    static func generalConvolution(
        _ conv: Convolution, input: TensorView, output: MutableTensorView, fusion: Fusion = .none,
        context: KernelContext
    ) {
        let rows = conv.outputChannels / conv.groups
        let depth = (conv.inputChannels / conv.groups) * conv.kernelSize * conv.kernelSize
        let pixels = output.shape.plane
        let strip = patchStripWidth(depth: depth, pixels: pixels)
        context.reserveScratch(floatsPerWorker: generalConvolutionScratch(conv, output: output.shape))
        let strips = (pixels + strip - 1) / strip
        let items = output.shape.n * conv.groups
        conv.weight.withUnsafeBufferPointer { weight in
            conv.bias.withUnsafeBufferPointer { bias in
                guard let weight = weight.baseAddress, let bias = bias.baseAddress else { return }
                context.pool.parallelFor(items * strips) { task, worker in
                    let item = task / strips
                    let n = item / conv.groups, group = item % conv.groups
                    let first = (task % strips) * strip
                    let width = min(strip, pixels - first)
                    let patches = context.scratch(worker: worker)
                    gatherPatches(
                        conv, input: input, n: n, firstChannel: group * (conv.inputChannels / conv.groups),
                        outputWidth: output.shape.w, firstPixel: first, width: width, into: patches)
                    MatrixMultiply(
                        a: weight + group * rows * depth, leadingA: depth,
                        b: UnsafePointer(patches), leadingB: width,
                        c: output.plane(n: n, channel: group * rows) + first, leadingC: pixels,
                        bias: bias + group * rows, rows: rows, depth: depth, columns: width, relu: conv.relu,
                        residual: fusion.residual.map { $0.plane(n: n, channel: group * rows) + first },
                        finalRelu: fusion.relu
                    ).run()
                }
            }
        }
    }

    static func generalConvolutionScratch(_ conv: Convolution, output: Shape) -> Int {
        let depth = (conv.inputChannels / conv.groups) * conv.kernelSize * conv.kernelSize
        return depth * patchStripWidth(depth: depth, pixels: output.plane)
    }

    /// Output pixels per strip: as many as keep the patch matrix near 64 KiB, a multiple of 16.
    static func patchStripWidth(depth: Int, pixels: Int) -> Int {
        let width = max(16, min(512, 16_384 / max(1, depth) / 16 * 16))
        return min(width, pixels)
    }

    /// Writes `patches[r, j]` (row stride `width`) = the input value that weight tap
    /// `r = (ic · k + ky) · k + kx` meets at output pixel `firstPixel + j`, 0 in the padding.
    static func gatherPatches(
        _ conv: Convolution, input: TensorView, n: Int, firstChannel: Int, outputWidth: Int,
        firstPixel: Int, width: Int, into patches: UnsafeMutablePointer<Float>
    ) {
        let k = conv.kernelSize, stride = conv.stride, padding = conv.padding
        let height = input.shape.h, inputWidth = input.shape.w
        var row = 0
        for ic in 0..<(conv.inputChannels / conv.groups) {
            let plane = input.plane(n: n, channel: firstChannel + ic)
            for ky in 0..<k {
                for kx in 0..<k {
                    let destination = patches + row * width
                    // Output columns whose tap lands inside the input: ox·stride - padding + kx in [0, w).
                    let firstInside = max(0, -floorDivide(kx - padding, stride))
                    let endInside = max(firstInside, min(outputWidth, floorDivide(inputWidth - 1 + padding - kx, stride) + 1))
                    var j = 0
                    var pixel = firstPixel
                    while j < width {
                        let oy = pixel / outputWidth, ox = pixel % outputWidth
                        let run = min(width - j, outputWidth - ox)
                        let iy = oy * stride - padding + ky
                        if iy < 0 || iy >= height {
                            (destination + j).update(repeating: 0, count: run)
                        } else {
                            let source = plane + iy * inputWidth - padding + kx
                            for t in 0..<run {
                                let x = ox + t
                                destination[j + t] = x >= firstInside && x < endInside ? source[x * stride] : 0
                            }
                        }
                        j += run
                        pixel += run
                    }
                    row += 1
                }
            }
        }
    }
}

/// `⌊a / b⌋` for `b > 0` (Swift's `/` rounds toward zero).
@inline(__always)
func floorDivide(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
