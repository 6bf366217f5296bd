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
        _ window: PoolWindow, average: Bool, input: TensorView, output: MutableTensorView, relu: Bool = false,
        context: KernelContext
    ) {
        let layout = poolingLayout(window, input: input.shape, output: output.shape)
        // Scratch: the padded plane, then 1 / (columns in the window) per output column.
        let columnScales = layout.floats
        context.reserveScratch(floatsPerWorker: poolingScratch(window, input: input.shape, output: output.shape))
        let split = ChannelSplit(
            planes: output.shape.n * output.shape.c, workPerPlane: output.shape.plane * window.kernelSize * window.kernelSize)
        let channels = output.shape.c
        context.pool.parallelFor(split.tasks) { task, worker in
            let padded = context.scratch(worker: worker)
            var plane = PoolPlane(
                layout: layout, window: window, padded: UnsafePointer(padded), columnScales: UnsafePointer(padded + columnScales),
                output: padded, outputHeight: output.shape.h, outputWidth: output.shape.w, relu: relu)
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
                case (3, false): plane.run3x3(MaximumOfWindow.self)
                case (3, true): plane.run3x3(SumOfWindow.self)
                case (_, false): plane.run(kernelSize: window.kernelSize, MaximumOfWindow.self)
                case (_, true): plane.run(kernelSize: window.kernelSize, SumOfWindow.self)
                }
            }
        }
    }

    static func poolingLayout(_ window: PoolWindow, input: Shape, output: Shape) -> PaddedPlane {
        PaddedPlane(
            height: input.h, width: input.w, padding: window.padding, stride: window.stride,
            kernelSize: window.kernelSize, outputWidth: output.w)
    }

    static func poolingScratch(_ window: PoolWindow, input: Shape, output: Shape) -> Int {
        let layout = poolingLayout(window, input: input, output: output)
        return layout.floats + layout.rowLength
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
    /// ReLU on the way out (a fused `concat` ReLU).
    var relu: Bool

    /// 3×3 windows (ShuffleNet's pools): the nine tap offsets stay in registers.
    func run3x3<Reduction: WindowReduction>(_: Reduction.Type) {
        let t0 = layout.tapOffset(ky: 0, kx: 0), t1 = layout.tapOffset(ky: 0, kx: 1), t2 = layout.tapOffset(ky: 0, kx: 2)
        let t3 = layout.tapOffset(ky: 1, kx: 0), t4 = layout.tapOffset(ky: 1, kx: 1), t5 = layout.tapOffset(ky: 1, kx: 2)
        let t6 = layout.tapOffset(ky: 2, kx: 0), t7 = layout.tapOffset(ky: 2, kx: 1), t8 = layout.tapOffset(ky: 2, kx: 2)
        forEachOutputVector(Reduction.self) { window, _ in
            var value = Reduction.combine(window.vector(at: t0), window.vector(at: t1))
            value = Reduction.combine(value, window.vector(at: t2))
            value = Reduction.combine(value, window.vector(at: t3))
            value = Reduction.combine(value, window.vector(at: t4))
            value = Reduction.combine(value, window.vector(at: t5))
            value = Reduction.combine(value, window.vector(at: t6))
            value = Reduction.combine(value, window.vector(at: t7))
            return Reduction.combine(value, window.vector(at: t8))
        }
    }

    /// Any window size.
    func run<Reduction: WindowReduction>(kernelSize k: Int, _: Reduction.Type) {
        forEachOutputVector(Reduction.self) { window, _ in
            var value = window.vector(at: 0)
            for tap in 1..<(k * k) {
                value = Reduction.combine(value, window.vector(at: layout.tapOffset(ky: tap / k, kx: tap % k)))
            }
            return value
        }
    }

    /// Calls `reduce(window, oy)` for every vector of eight outputs (`window` points at tap
    /// (0, 0) of the first) and stores the result, scaled for an average.
    @inline(__always)
    private func forEachOutputVector<Reduction: WindowReduction>(
        _: Reduction.Type, _ reduce: (_ window: UnsafePointer<Float>, _ oy: Int) -> Vector
    ) {
        let rowStep = layout.rowOffset(1)
        var window = padded
        var row = output
        for oy in 0..<outputHeight {
            let rowScale = Vector(repeating: 1 / Float(Kernels.windowCount(self.window, at: oy, size: layout.height)))
            var x = 0
            while x < outputWidth {
                // A last partial vector moves back to overlap the previous one when it can.
                let start = outputWidth - x < 8 && outputWidth >= 8 ? outputWidth - 8 : x
                var value = reduce(window + start, oy)
                if Reduction.isSum { value = value * (rowScale * columnScales.vector(at: start)) }
                if relu { value = rectified(value) }
                // Narrow planes (7 wide) store whole vectors too while the plane has room: the
                // lanes past the row land in the next row, which is computed after this one.
                if (outputHeight - oy) * outputWidth - start >= 8 {
                    row.store(value, at: start)
                } else {
                    row.store(value, at: start, count: outputWidth - start)
                }
                x = start + 8
            }
            window += rowStep
            row += outputWidth
        }
    }
}

/// How a pooling window's values combine.
protocol WindowReduction {
    static var isSum: Bool { get }
    static func combine(_ a: Vector, _ b: Vector) -> Vector
}

enum MaximumOfWindow: WindowReduction {
    static var isSum: Bool { false }
    @inline(__always)
    static func combine(_ a: Vector, _ b: Vector) -> Vector { a.replacing(with: b, where: b .> a) }
}

enum SumOfWindow: WindowReduction {
    static var isSum: Bool { true }
    @inline(__always)
    static func combine(_ a: Vector, _ b: Vector) -> Vector { a + b }
}
