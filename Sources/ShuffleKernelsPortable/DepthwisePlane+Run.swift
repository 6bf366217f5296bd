import ShuffleKernelCore

// The padded-plane depthwise kernel, compiled once per instruction set.

extension DepthwisePlane {
    /// Any window size and stride: the windows `DepthwiseRows` does not take, and planes too
    /// small for it. Taps are added in (ky, kx) order from zero, as `Window3x3.sum` adds them.
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
