extension Kernels {
    /// Max or average pooling over square windows, eight output columns at a time on a padded
    /// copy of each plane (see `PaddedPlane`).
    ///
    /// Max pooling pads with -∞ so padding never wins. Average pooling pads with 0 and divides
    /// by the window clipped to the padded input (PyTorch's `count_include_pad = true`); that
    /// count is (rows in range) × (columns in range), so it is kept as one factor per output
    /// row and a vector of factors per output column.
    ///
    /// - Parameters:
    ///   - input: `[n, c, h, w]`
    ///   - output: `[n, c, window.outputSize(h), window.outputSize(w)]`
    static func pooling(
        _ window: PoolWindow, average: Bool, input: TensorView, output: MutableTensorView, context: KernelContext
    ) {
        let layout = PaddedPlane(
            height: input.shape.h, width: input.shape.w, padding: window.padding, stride: window.stride,
            kernelSize: window.kernelSize, outputWidth: output.shape.w)
        // Scratch: the padded plane, then 1 / (columns in the window) per output column.
        let columnScales = layout.floats
        context.reserveScratch(floatsPerWorker: layout.floats + layout.rowLength)
        let split = ChannelSplit(
            planes: output.shape.n * output.shape.c, workPerPlane: output.shape.plane * window.kernelSize * window.kernelSize)
        let channels = output.shape.c
        context.pool.parallelFor(split.tasks) { task, worker in
            let padded = context.scratch(worker: worker)
            var plane = PoolPlane(
                layout: layout, window: window, padded: UnsafePointer(padded), columnScales: UnsafePointer(padded + columnScales),
                output: padded, outputHeight: output.shape.h, outputWidth: output.shape.w)
            if average {
                for ox in 0..<layout.rowLength {
                    (padded + columnScales)[ox] = 1 / Float(windowCount(window, at: ox, size: input.shape.w))
                }
            }
            for index in split.planes(task) {
                let n = index / channels, c = index % channels
                layout.fill(padded, from: input.plane(n: n, channel: c), padValue: average ? 0 : -.infinity)
                plane.output = output.plane(n: n, channel: c)
                switch (window.kernelSize, average) {
                case (3, false): plane.run(kernelSize: 3, average: false)
                case (3, true): plane.run(kernelSize: 3, average: true)
                case (_, false): plane.run(kernelSize: window.kernelSize, average: false)
                case (_, true): plane.run(kernelSize: window.kernelSize, average: true)
                }
            }
        }
    }

    /// Cells of the padded input that the window of output `index` covers along one axis.
    static func windowCount(_ window: PoolWindow, at index: Int, size: Int) -> Int {
        let start = index * window.stride - window.padding
        let end = min(start + window.kernelSize, size + window.padding)
        return max(1, end - start)
    }
}

/// One channel of a pooling over a padded plane.
struct PoolPlane {
    var layout: PaddedPlane
    var window: PoolWindow
    var padded: UnsafePointer<Float>
    /// `[outputWidth]` and beyond: 1 / (window columns), for average pooling.
    var columnScales: UnsafePointer<Float>
    /// `[outputHeight, outputWidth]`
    var output: UnsafeMutablePointer<Float>
    var outputHeight: Int
    var outputWidth: Int

    /// Inlined with literal arguments the tap loops unroll completely.
    @inline(__always)
    func run(kernelSize k: Int, average: Bool) {
        for oy in 0..<outputHeight {
            let base = padded + layout.rowOffset(oy)
            let row = output + oy * outputWidth
            let rowScale = Vector(
                repeating: 1 / Float(Kernels.windowCount(window, at: oy, size: layout.height)))
            var x = 0
            while x < outputWidth {
                let start = outputWidth - x < 8 && outputWidth >= 8 ? outputWidth - 8 : x
                var value = average ? Vector() : Vector(repeating: -.infinity)
                for ky in 0..<k {
                    for kx in 0..<k {
                        let tap = (base + layout.tapOffset(ky: ky, kx: kx) + start).vector(at: 0)
                        value = average ? value + tap : pointwiseMax(value, tap)
                    }
                }
                if average { value = value * (rowScale * columnScales.vector(at: start)) }
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
