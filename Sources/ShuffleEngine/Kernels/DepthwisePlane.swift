/// One channel of a depthwise convolution over a padded plane.
struct DepthwisePlane {
    var layout: PaddedPlane
    var taps: WindowTaps
    var padded: UnsafePointer<Float>
    /// `[k, k]`
    var weight: UnsafePointer<Float>
    var bias: Float
    var relu: Bool
    /// `[outputHeight, outputWidth]`
    var output: UnsafeMutablePointer<Float>
    var outputHeight: Int
    var outputWidth: Int

    /// 3×3 windows of stride 1: two output rows at a time, which share two of their four
    /// input rows, so each loaded vector serves both and the two sums overlap in the pipeline.
    /// Each sum adds its taps in (ky, kx) order from zero, as `run3x3` does.
    func run3x3RowPairs() {
        let w0 = Vector(repeating: weight[0]), w1 = Vector(repeating: weight[1]), w2 = Vector(repeating: weight[2])
        let w3 = Vector(repeating: weight[3]), w4 = Vector(repeating: weight[4]), w5 = Vector(repeating: weight[5])
        let w6 = Vector(repeating: weight[6]), w7 = Vector(repeating: weight[7]), w8 = Vector(repeating: weight[8])
        let shift = Vector(repeating: bias)
        // Stride 1: padded row y starts at y · rowLength, tap (ky, kx) at ky · rowLength + kx.
        let line = layout.rowLength
        var oy = 0
        while oy + 1 < outputHeight {
            let r0 = padded + oy * line, r1 = r0 + line, r2 = r1 + line, r3 = r2 + line
            let row = output + oy * outputWidth
            var x = 0
            while x < outputWidth {
                let start = rowVectorStart(x, width: outputWidth)
                let a0 = r1.vector(at: start), a1 = r1.vector(at: start + 1), a2 = r1.vector(at: start + 2)
                let b0 = r2.vector(at: start), b1 = r2.vector(at: start + 1), b2 = r2.vector(at: start + 2)
                var top = multiplyAdd(Vector(), w0, r0.vector(at: start))
                var bottom = multiplyAdd(Vector(), w0, a0)
                top = multiplyAdd(top, w1, r0.vector(at: start + 1))
                bottom = multiplyAdd(bottom, w1, a1)
                top = multiplyAdd(top, w2, r0.vector(at: start + 2))
                bottom = multiplyAdd(bottom, w2, a2)
                top = multiplyAdd(top, w3, a0)
                bottom = multiplyAdd(bottom, w3, b0)
                top = multiplyAdd(top, w4, a1)
                bottom = multiplyAdd(bottom, w4, b1)
                top = multiplyAdd(top, w5, a2)
                bottom = multiplyAdd(bottom, w5, b2)
                top = multiplyAdd(top, w6, b0)
                bottom = multiplyAdd(bottom, w6, r3.vector(at: start))
                top = multiplyAdd(top, w7, b1)
                bottom = multiplyAdd(bottom, w7, r3.vector(at: start + 1))
                top = multiplyAdd(top, w8, b2)
                bottom = multiplyAdd(bottom, w8, r3.vector(at: start + 2))
                var upper = top + shift, lower = bottom + shift
                if relu {
                    upper = rectified(upper)
                    lower = rectified(lower)
                }
                // Narrow rows spill into the rows after them, which are stored later (the lower
                // row right below), while the plane has room.
                row.storeRow(upper, at: start, width: outputWidth, planeFloats: (outputHeight - oy) * outputWidth)
                (row + outputWidth).storeRow(
                    lower, at: start, width: outputWidth, planeFloats: (outputHeight - oy - 1) * outputWidth)
                x = start + 8
            }
            oy += 2
        }
        if oy < outputHeight { lastRow3x3(oy, w0, w1, w2, w3, w4, w5, w6, w7, w8, shift) }
    }

    /// The odd last row of `run3x3RowPairs`.
    private func lastRow3x3(
        _ oy: Int, _ w0: Vector, _ w1: Vector, _ w2: Vector, _ w3: Vector, _ w4: Vector, _ w5: Vector, _ w6: Vector,
        _ w7: Vector, _ w8: Vector, _ shift: Vector
    ) {
        let line = layout.rowLength
        let r0 = padded + oy * line, r1 = r0 + line, r2 = r1 + line
        let row = output + oy * outputWidth
        var x = 0
        while x < outputWidth {
            let start = rowVectorStart(x, width: outputWidth)
            var sum = multiplyAdd(Vector(), w0, r0.vector(at: start))
            sum = multiplyAdd(sum, w1, r0.vector(at: start + 1))
            sum = multiplyAdd(sum, w2, r0.vector(at: start + 2))
            sum = multiplyAdd(sum, w3, r1.vector(at: start))
            sum = multiplyAdd(sum, w4, r1.vector(at: start + 1))
            sum = multiplyAdd(sum, w5, r1.vector(at: start + 2))
            sum = multiplyAdd(sum, w6, r2.vector(at: start))
            sum = multiplyAdd(sum, w7, r2.vector(at: start + 1))
            sum = multiplyAdd(sum, w8, r2.vector(at: start + 2))
            var value = sum + shift
            if relu { value = rectified(value) }
            row.storeRow(value, at: start, width: outputWidth, planeFloats: outputWidth)
            x = start + 8
        }
    }

    /// 3×3 windows, the ShuffleNet case: the nine tap offsets and weights stay in registers.
    func run3x3() {
        let t0 = taps.offsets.0, t1 = taps.offsets.1, t2 = taps.offsets.2
        let t3 = taps.offsets.3, t4 = taps.offsets.4, t5 = taps.offsets.5
        let t6 = taps.offsets.6, t7 = taps.offsets.7, t8 = taps.offsets.8
        let w0 = Vector(repeating: weight[0]), w1 = Vector(repeating: weight[1]), w2 = Vector(repeating: weight[2])
        let w3 = Vector(repeating: weight[3]), w4 = Vector(repeating: weight[4]), w5 = Vector(repeating: weight[5])
        let w6 = Vector(repeating: weight[6]), w7 = Vector(repeating: weight[7]), w8 = Vector(repeating: weight[8])
        let shift = Vector(repeating: bias)
        let rowStep = taps.rowStep
        var window = padded
        var row = output
        for oy in 0..<outputHeight {
            var x = 0
            while x < outputWidth {
                let start = rowVectorStart(x, width: outputWidth)
                let p = window + start
                // Same order as the general path: taps in (ky, kx) order from zero.
                var sum = multiplyAdd(Vector(), w0, p.vector(at: t0))
                sum = multiplyAdd(sum, w1, p.vector(at: t1))
                sum = multiplyAdd(sum, w2, p.vector(at: t2))
                sum = multiplyAdd(sum, w3, p.vector(at: t3))
                sum = multiplyAdd(sum, w4, p.vector(at: t4))
                sum = multiplyAdd(sum, w5, p.vector(at: t5))
                sum = multiplyAdd(sum, w6, p.vector(at: t6))
                sum = multiplyAdd(sum, w7, p.vector(at: t7))
                sum = multiplyAdd(sum, w8, p.vector(at: t8))
                var value = sum + shift
                if relu { value = rectified(value) }
                row.storeRow(value, at: start, width: outputWidth, planeFloats: (outputHeight - oy) * outputWidth)
                x = start + 8
            }
            window += rowStep
            row += outputWidth
        }
    }

    /// Any window size.
    func run(kernelSize k: Int) {
        let shift = Vector(repeating: bias)
        for oy in 0..<outputHeight {
            let window = padded + layout.rowOffset(oy)
            let row = output + oy * outputWidth
            var x = 0
            while x < outputWidth {
                // A last partial vector moves back to overlap the previous one when it can, so
                // it is stored whole; the overlapped outputs get the same values again.
                let start = rowVectorStart(x, width: outputWidth)
                var sum = Vector()
                for ky in 0..<k {
                    for kx in 0..<k {
                        let tap = window + layout.tapOffset(ky: ky, kx: kx) + start
                        sum = multiplyAdd(sum, Vector(repeating: weight[ky * k + kx]), tap.vector(at: 0))
                    }
                }
                var value = sum + shift
                if relu { value = rectified(value) }
                row.storeRow(value, at: start, width: outputWidth, planeFloats: (outputHeight - oy) * outputWidth)
                x = start + 8
            }
        }
    }
}

/// Offsets of a 3×3 window's taps in a `PaddedPlane` and the step between output rows, worked
/// out once per kernel call rather than once per plane (each needs divisions by the stride).
struct WindowTaps {
    /// Taps in (ky, kx) order.
    var offsets: (Int, Int, Int, Int, Int, Int, Int, Int, Int)
    var rowStep: Int

    init(_ layout: PaddedPlane) {
        func tap(_ index: Int) -> Int { layout.tapOffset(ky: index / 3, kx: index % 3) }
        offsets = (tap(0), tap(1), tap(2), tap(3), tap(4), tap(5), tap(6), tap(7), tap(8))
        rowStep = layout.rowOffset(1)
    }
}
