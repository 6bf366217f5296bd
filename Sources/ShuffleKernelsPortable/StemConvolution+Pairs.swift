import ShuffleKernelCore

// The stem kernel's two-row tiles, compiled once per instruction set.

extension StemConvolution {
    /// Where a two-row tile (convolution rows 2m and 2m + 1, m ≥ 1) reads and writes.
    struct Pairs {
        /// Tap offsets of the first and the second row (see `run`).
        var first: UnsafePointer<Int>
        var second: UnsafePointer<Int>
        /// Without pooling: channel 0's output at row 2m, column 0.
        var rows: UnsafeMutablePointer<Float>?
        /// With pooling: channel 0's running maximum of pooled row m (started by row 2m - 1,
        /// finished by this pair), and of pooled row m + 1 (started by row 2m + 1) when the
        /// band computes it.
        var maxima: UnsafeMutablePointer<Float>?
        var next: UnsafeMutablePointer<Float>?
    }

    /// Channels of a two-row tile in this build: 3 × 2 rows × 16 columns fill twelve of AVX2's
    /// sixteen registers (two per 16 columns); AVX-512 holds 16 columns in one of its 32
    /// registers, so 6 channels make the twelve sums there.
    static var pairChannels: Int {
        #if SHUFFLE_KERNELS_AVX512
        return 6
        #else
        return 3
        #endif
    }

    /// Output channels `channel…channel+2` (fewer at the end: the rest alias the last and are
    /// not stored) at both rows of `pairs`, columns `column…column+15`: 3 × 2 × 16 sums in
    /// twelve registers, each tap's four input vectors shared by three channels. `phases` is
    /// the ring at index `column`.
    @inline(never)
    func pairTile(channel: Int, column: Int, phases: UnsafePointer<Float>, pairs: Pairs) {
        let depth = inputChannels * 9
        let last = outputChannels - 1
        let c1 = min(channel + 1, last), c2 = min(channel + 2, last)
        let w0 = weight + channel * depth, w1 = weight + c1 * depth, w2 = weight + c2 * depth
        // aXY: channel X, row Y (0: 2m, 1: 2m + 1), lanes 0 or 8 (a or b).
        var a00 = Vector(repeating: bias[channel]), b00 = a00, a01 = a00, b01 = a00
        var a10 = Vector(repeating: bias[c1]), b10 = a10, a11 = a10, b11 = a10
        var a20 = Vector(repeating: bias[c2]), b20 = a20, a21 = a20, b21 = a20
        let first = pairs.first, second = pairs.second
        for k in 0..<depth {
            let top = phases + first[k], bottom = phases + second[k]
            // Three weights and one input vector live at a time: with the twelve sums, the
            // sixteen registers AVX2 has.
            let x0 = Vector(repeating: w0[k]), x1 = Vector(repeating: w1[k]), x2 = Vector(repeating: w2[k])
            var b = top.vector(at: 0)
            a00 = multiplyAdd(a00, x0, b)
            a10 = multiplyAdd(a10, x1, b)
            a20 = multiplyAdd(a20, x2, b)
            b = top.vector(at: 8)
            b00 = multiplyAdd(b00, x0, b)
            b10 = multiplyAdd(b10, x1, b)
            b20 = multiplyAdd(b20, x2, b)
            b = bottom.vector(at: 0)
            a01 = multiplyAdd(a01, x0, b)
            a11 = multiplyAdd(a11, x1, b)
            a21 = multiplyAdd(a21, x2, b)
            b = bottom.vector(at: 8)
            b01 = multiplyAdd(b01, x0, b)
            b11 = multiplyAdd(b11, x1, b)
            b21 = multiplyAdd(b21, x2, b)
        }
        let count = min(Self.pairChannels, outputChannels - channel)
        let rowsPlane = pairs.rows == nil ? poolRowFloats : outputHeight * outputWidth
        for index in 0..<count {
            // One channel's sums (the loop is unrolled, so these select registers).
            var (a0, b0, a1, b1) = index == 0 ? (a00, b00, a01, b01) : index == 1 ? (a10, b10, a11, b11) : (a20, b20, a21, b21)
            if relu {
                a0 = rectified(a0)
                b0 = rectified(b0)
                a1 = rectified(a1)
                b1 = rectified(b1)
            }
            let offset = (channel + index) * rowsPlane + column
            if let rows = pairs.rows {
                let destination = rows + offset
                destination.store(a0, at: 0)
                destination.store(b0, at: 8)
                destination.store(a1, at: outputWidth)
                destination.store(b1, at: outputWidth + 8)
                continue
            }
            // Pooled row m's maximum so far, then row 2m, then row 2m + 1; row 2m + 1 starts
            // pooled row m + 1's.
            guard let maxima = pairs.maxima else { return }
            let line = maxima + offset
            line.store(maximum(maximum(line.vector(at: 0), a0), a1), at: 0)
            line.store(maximum(maximum(line.vector(at: 8), b0), b1), at: 8)
            if let next = pairs.next {
                next.store(a1, at: offset)
                next.store(b1, at: offset + 8)
            }
        }
    }

    #if SHUFFLE_KERNELS_AVX512
    /// The AVX-512 build's two-row tile: output channels `channel…channel+5` (fewer at the end,
    /// as above) in sixteen-lane sums, twelve of the 32 registers. Each tap's two input vectors
    /// are shared by the six channels.
    @inline(never)
    func pairTileWide(channel: Int, column: Int, phases: UnsafePointer<Float>, pairs: Pairs) {
        let depth = inputChannels * 9
        let last = outputChannels - 1
        let c1 = min(channel + 1, last), c2 = min(channel + 2, last), c3 = min(channel + 3, last)
        let c4 = min(channel + 4, last), c5 = min(channel + 5, last)
        let w0 = weight + channel * depth, w1 = weight + c1 * depth, w2 = weight + c2 * depth
        let w3 = weight + c3 * depth, w4 = weight + c4 * depth, w5 = weight + c5 * depth
        // tX, bX: channel X at row 2m (top) and 2m + 1 (bottom).
        var t0 = WideVector(repeating: bias[channel]), t1 = WideVector(repeating: bias[c1])
        var t2 = WideVector(repeating: bias[c2]), t3 = WideVector(repeating: bias[c3])
        var t4 = WideVector(repeating: bias[c4]), t5 = WideVector(repeating: bias[c5])
        var b0 = t0, b1 = t1, b2 = t2, b3 = t3, b4 = t4, b5 = t5
        let first = pairs.first, second = pairs.second
        for k in 0..<depth {
            let top = phases.wideVector(at: first[k]), bottom = phases.wideVector(at: second[k])
            @inline(__always) func add(_ w: UnsafePointer<Float>, _ t: inout WideVector, _ b: inout WideVector) {
                let x = WideVector(repeating: w[k])
                t = multiplyAdd(t, x, top)
                b = multiplyAdd(b, x, bottom)
            }
            add(w0, &t0, &b0)
            add(w1, &t1, &b1)
            add(w2, &t2, &b2)
            add(w3, &t3, &b3)
            add(w4, &t4, &b4)
            add(w5, &t5, &b5)
        }
        let count = min(6, outputChannels - channel)
        let rowsPlane = pairs.rows == nil ? poolRowFloats : outputHeight * outputWidth
        for index in 0..<6 where index < count {
            // One channel's sums (the loop is unrolled, so these select registers).
            var (top, bottom) = switch index {
            case 0: (t0, b0)
            case 1: (t1, b1)
            case 2: (t2, b2)
            case 3: (t3, b3)
            case 4: (t4, b4)
            default: (t5, b5)
            }
            if relu {
                top = rectified(top)
                bottom = rectified(bottom)
            }
            let offset = (channel + index) * rowsPlane + column
            if let rows = pairs.rows {
                let destination = rows + offset
                destination.store(top, at: 0)
                destination.store(bottom, at: outputWidth)
                continue
            }
            // As above: pooled row m's maximum so far, then row 2m, then row 2m + 1.
            guard let maxima = pairs.maxima else { return }
            let line = maxima + offset
            line.store(maximum(maximum(line.wideVector(at: 0), top), bottom), at: 0)
            pairs.next?.store(bottom, at: offset)
        }
    }
    #endif
}
