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

    /// 3×3 windows of any stride (planes too small for `DepthwiseRows`): the nine tap offsets
    /// and weights stay in registers.
    func run3x3() {
        let t0 = taps.offsets.0, t1 = taps.offsets.1, t2 = taps.offsets.2
        let t3 = taps.offsets.3, t4 = taps.offsets.4, t5 = taps.offsets.5
        let t6 = taps.offsets.6, t7 = taps.offsets.7, t8 = taps.offsets.8
        let window = Window3x3(weight)
        let shift = Vector(repeating: bias)
        let rowStep = taps.rowStep
        var origin = padded
        var row = output
        for oy in 0..<outputHeight {
            var x = 0
            while x < outputWidth {
                let start = rowVectorStart(x, width: outputWidth)
                let p = origin + start
                var value = window.sum(
                    (p.vector(at: t0), p.vector(at: t1), p.vector(at: t2)),
                    (p.vector(at: t3), p.vector(at: t4), p.vector(at: t5)),
                    (p.vector(at: t6), p.vector(at: t7), p.vector(at: t8))) + shift
                if relu { value = rectified(value) }
                row.storeRow(value, at: start, width: outputWidth, planeFloats: (outputHeight - oy) * outputWidth)
                x = start + 8
            }
            origin += rowStep
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
