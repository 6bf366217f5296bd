import ShuffleKernelCore
#if SHUFFLE_FUSED_MULTIPLY_ADD
import _Builtin_intrinsics.intel
#endif

// The eight-channel 3×3 depthwise and pooling kernels of `DepthwiseBlock` and `PoolBlock`, compiled
// once per instruction set.

/// Eight planes of `pixels` floats, eight pixels at a time, into a padded block's interior: pixel
/// `p` of every plane to the eight floats at `cells[p]`. The last group of eight moves back to
/// overlap the one before it (the plane may hold no more).
@inline(__always)
func gatherBlock(
    _ sources: DepthwiseBlock.EightPlanes, pixels: Int, cells: UnsafePointer<Int32>,
    into padded: UnsafeMutablePointer<Float>
) {
    var first = 0
    while first < pixels {
        let start = min(first, pixels - 8)
        let t = Transpose8(
            sources.0.vector(at: start), sources.1.vector(at: start), sources.2.vector(at: start),
            sources.3.vector(at: start), sources.4.vector(at: start), sources.5.vector(at: start),
            sources.6.vector(at: start), sources.7.vector(at: start))
        let at = cells + start
        padded.store(t.r0, at: Int(at[0])); padded.store(t.r1, at: Int(at[1]))
        padded.store(t.r2, at: Int(at[2])); padded.store(t.r3, at: Int(at[3]))
        padded.store(t.r4, at: Int(at[4])); padded.store(t.r5, at: Int(at[5]))
        padded.store(t.r6, at: Int(at[6])); padded.store(t.r7, at: Int(at[7]))
        first = start + 8
    }
}

/// `pixels` result vectors (8 channels each) back into eight output planes `outputStride` floats
/// apart, eight pixels at a time (the last group overlapping the one before it).
@inline(__always)
func scatterBlock(
    _ results: UnsafeMutablePointer<Float>, pixels: Int, into output: UnsafeMutablePointer<Float>, outputStride: Int
) {
    var first = 0
    while first < pixels {
        let start = min(first, pixels - 8)
        let p = UnsafePointer(results + 8 * start)
        let t = Transpose8(
            p.vector(at: 0), p.vector(at: 8), p.vector(at: 16), p.vector(at: 24), p.vector(at: 32),
            p.vector(at: 40), p.vector(at: 48), p.vector(at: 56))
        output.store(t.r0, at: start); (output + outputStride).store(t.r1, at: start)
        (output + 2 * outputStride).store(t.r2, at: start); (output + 3 * outputStride).store(t.r3, at: start)
        (output + 4 * outputStride).store(t.r4, at: start); (output + 5 * outputStride).store(t.r5, at: start)
        (output + 6 * outputStride).store(t.r6, at: start); (output + 7 * outputStride).store(t.r7, at: start)
        first = start + 8
    }
}

extension DepthwiseBlock {
    func run() {
        let padded = scratch, results = scratch + Self.paddedFloats(height: height, width: width)
        gatherBlock(sources, pixels: height * width, cells: cells, into: padded)
        // The stride as a constant in each copy of the loop, so the taps' offsets are too.
        if stride == 1 { convolve(padded, into: results, stride: 1) } else { convolve(padded, into: results, stride: 2) }
        scatterBlock(results, pixels: outputHeight * outputWidth, into: output, outputStride: outputStride)
    }

    /// The output pixels' sums from the padded block into `results`. Four output pixels of a
    /// row at a time (four independent sums); a last partial step moves back to overlap the one
    /// before it and recomputes the same values. Output pixel (y, x)'s window starts at padded
    /// cell (stride · y, stride · x).
    @inline(__always)
    private func convolve(_ padded: UnsafeMutablePointer<Float>, into results: UnsafeMutablePointer<Float>, stride: Int) {
        let window = BlockWindow(weight)
        let shift = bias.vector(at: 0)
        let rowCells = width + 2
        let step = 8 * stride
        for y in 0..<outputHeight {
            let top = UnsafePointer(padded + 8 * stride * y * rowCells)
            let out = results + 8 * y * outputWidth
            var x = 0
            #if SHUFFLE_KERNELS_AVX512
            if stride == 1 {
                // Two neighbouring pixels' cells are one 16-float register: each multiply-add
                // serves two output pixels, with the same taps in the same order.
                let wide = WideWindow(window), shift = WideVector(lowHalf: shift, highHalf: shift)
                while x < outputWidth {
                    let start = min(x, outputWidth - 4)
                    var sums = wide.sums(top + 8 * start, rowCells: rowCells)
                    sums.0 += shift; sums.1 += shift
                    if relu { sums.0 = rectified(sums.0); sums.1 = rectified(sums.1) }
                    let at = out + 8 * start
                    at.store(sums.0, at: 0)
                    at.store(sums.1, at: 16)
                    x = start + 4
                }
                continue
            }
            #endif
            while x < outputWidth {
                let start = min(x, outputWidth - 4)
                var sums = window.sums(top + step * start, rowCells: rowCells, step: step)
                sums.0 += shift; sums.1 += shift; sums.2 += shift; sums.3 += shift
                if relu {
                    sums.0 = rectified(sums.0); sums.1 = rectified(sums.1)
                    sums.2 = rectified(sums.2); sums.3 = rectified(sums.3)
                }
                let at = out + 8 * start
                at.store(sums.0, at: 0)
                at.store(sums.1, at: 8)
                at.store(sums.2, at: 16)
                at.store(sums.3, at: 24)
                x = start + 4
            }
        }
    }
}

/// Eight vectors' 8 × 8 floats transposed in registers: lane `j` of row `i` becomes lane `i` of
/// row `j`, in 24 shuffles (unpacks of floats, unpacks of float pairs, then 128-bit halves).
struct Transpose8 {
    var r0, r1, r2, r3, r4, r5, r6, r7: Vector

    @inline(__always)
    init(_ a: Vector, _ b: Vector, _ c: Vector, _ d: Vector, _ e: Vector, _ f: Vector, _ g: Vector, _ h: Vector) {
        let t0 = Self.low(a, b), t1 = Self.high(a, b), t2 = Self.low(c, d), t3 = Self.high(c, d)
        let t4 = Self.low(e, f), t5 = Self.high(e, f), t6 = Self.low(g, h), t7 = Self.high(g, h)
        let u0 = Self.lowPairs(t0, t2), u1 = Self.highPairs(t0, t2), u2 = Self.lowPairs(t1, t3), u3 = Self.highPairs(t1, t3)
        let u4 = Self.lowPairs(t4, t6), u5 = Self.highPairs(t4, t6), u6 = Self.lowPairs(t5, t7), u7 = Self.highPairs(t5, t7)
        r0 = Vector(lowHalf: u0.lowHalf, highHalf: u4.lowHalf); r1 = Vector(lowHalf: u1.lowHalf, highHalf: u5.lowHalf)
        r2 = Vector(lowHalf: u2.lowHalf, highHalf: u6.lowHalf); r3 = Vector(lowHalf: u3.lowHalf, highHalf: u7.lowHalf)
        r4 = Vector(lowHalf: u0.highHalf, highHalf: u4.highHalf); r5 = Vector(lowHalf: u1.highHalf, highHalf: u5.highHalf)
        r6 = Vector(lowHalf: u2.highHalf, highHalf: u6.highHalf); r7 = Vector(lowHalf: u3.highHalf, highHalf: u7.highHalf)
    }

    // Written lane by lane, the optimiser merges the three rounds of shuffles into one
    // many-source shuffle per row, which x86 can only build from blends and inserts (about
    // four times the instructions); the AVX builds use the unpack instructions themselves.
    #if SHUFFLE_FUSED_MULTIPLY_ADD
    /// Floats 0, 1 (and 4, 5) of `a` and `b`, interleaved.
    @inline(__always)
    static func low(_ a: Vector, _ b: Vector) -> Vector { vector(_mm256_unpacklo_ps(m256(a), m256(b))) }

    /// Floats 2, 3 (and 6, 7) of `a` and `b`, interleaved.
    @inline(__always)
    static func high(_ a: Vector, _ b: Vector) -> Vector { vector(_mm256_unpackhi_ps(m256(a), m256(b))) }

    /// Float pairs 0 (and 2) of `a` and `b`, interleaved.
    @inline(__always)
    static func lowPairs(_ a: Vector, _ b: Vector) -> Vector { vector(_mm256_unpacklo_pd(m256d(a), m256d(b))) }

    /// Float pairs 1 (and 3) of `a` and `b`, interleaved.
    @inline(__always)
    static func highPairs(_ a: Vector, _ b: Vector) -> Vector { vector(_mm256_unpackhi_pd(m256d(a), m256d(b))) }

    @inline(__always)
    private static func m256(_ v: Vector) -> __m256 { unsafeBitCast(v, to: __m256.self) }

    @inline(__always)
    private static func m256d(_ v: Vector) -> __m256d { unsafeBitCast(v, to: __m256d.self) }

    @inline(__always)
    private static func vector(_ v: __m256) -> Vector { unsafeBitCast(v, to: Vector.self) }

    @inline(__always)
    private static func vector(_ v: __m256d) -> Vector { unsafeBitCast(v, to: Vector.self) }
    #else
    @inline(__always)
    static func low(_ a: Vector, _ b: Vector) -> Vector { Vector(a[0], b[0], a[1], b[1], a[4], b[4], a[5], b[5]) }

    @inline(__always)
    static func high(_ a: Vector, _ b: Vector) -> Vector { Vector(a[2], b[2], a[3], b[3], a[6], b[6], a[7], b[7]) }

    @inline(__always)
    static func lowPairs(_ a: Vector, _ b: Vector) -> Vector { Vector(a[0], a[1], b[0], b[1], a[4], a[5], b[4], b[5]) }

    @inline(__always)
    static func highPairs(_ a: Vector, _ b: Vector) -> Vector { Vector(a[2], a[3], b[2], b[3], a[6], a[7], b[6], b[7]) }
    #endif

}

/// A 3×3 window's weights for eight channels: tap `k`'s vector holds the eight channels' weight
/// `k`.
struct BlockWindow {
    var w0, w1, w2, w3, w4, w5, w6, w7, w8: Vector

    /// `weight`: `[8, 3, 3]`. Taps 0…7 of the eight windows are one transpose; tap 8 is gathered.
    @inline(__always)
    init(_ weight: UnsafePointer<Float>) {
        let t = Transpose8(
            weight.vector(at: 0), weight.vector(at: 9), weight.vector(at: 18), weight.vector(at: 27),
            weight.vector(at: 36), weight.vector(at: 45), weight.vector(at: 54), weight.vector(at: 63))
        (w0, w1, w2, w3, w4, w5, w6, w7) = (t.r0, t.r1, t.r2, t.r3, t.r4, t.r5, t.r6, t.r7)
        w8 = Vector(weight[8], weight[17], weight[26], weight[35], weight[44], weight[53], weight[62], weight[71])
    }

    /// The sums of four neighbouring output pixels of one row, whose windows' top-left cells
    /// start at `top` and every `step` floats after it (cells of 8 floats, `rowCells` to a
    /// padded row): taps in (ky, kx) order from zero.
    @inline(__always)
    func sums(_ top: UnsafePointer<Float>, rowCells: Int, step: Int) -> (Vector, Vector, Vector, Vector) {
        let middle = top + 8 * rowCells, bottom = middle + 8 * rowCells
        var sums = (Vector(), Vector(), Vector(), Vector())
        Self.add(row: top, step, w0, w1, w2, to: &sums)
        Self.add(row: middle, step, w3, w4, w5, to: &sums)
        Self.add(row: bottom, step, w6, w7, w8, to: &sums)
        return sums
    }

    /// One window row's three taps (neighbouring cells) for each of four output pixels, whose
    /// taps start `step` floats apart.
    @inline(__always)
    private static func add(
        row: UnsafePointer<Float>, _ step: Int, _ a: Vector, _ b: Vector, _ c: Vector,
        to s: inout (Vector, Vector, Vector, Vector)
    ) {
        let p0 = row, p1 = row + step, p2 = row + 2 * step, p3 = row + 3 * step
        s.0 = multiplyAdd(s.0, a, p0.vector(at: 0)); s.1 = multiplyAdd(s.1, a, p1.vector(at: 0))
        s.2 = multiplyAdd(s.2, a, p2.vector(at: 0)); s.3 = multiplyAdd(s.3, a, p3.vector(at: 0))
        s.0 = multiplyAdd(s.0, b, p0.vector(at: 8)); s.1 = multiplyAdd(s.1, b, p1.vector(at: 8))
        s.2 = multiplyAdd(s.2, b, p2.vector(at: 8)); s.3 = multiplyAdd(s.3, b, p3.vector(at: 8))
        s.0 = multiplyAdd(s.0, c, p0.vector(at: 16)); s.1 = multiplyAdd(s.1, c, p1.vector(at: 16))
        s.2 = multiplyAdd(s.2, c, p2.vector(at: 16)); s.3 = multiplyAdd(s.3, c, p3.vector(at: 16))
    }
}

#if SHUFFLE_KERNELS_AVX512
/// `BlockWindow` with each tap's eight weights twice over: the AVX-512 build's stride-1 sums,
/// two neighbouring output pixels to a register.
struct WideWindow {
    var w0, w1, w2, w3, w4, w5, w6, w7, w8: WideVector

    @inline(__always)
    init(_ window: BlockWindow) {
        func twice(_ v: Vector) -> WideVector { WideVector(lowHalf: v, highHalf: v) }
        (w0, w1, w2) = (twice(window.w0), twice(window.w1), twice(window.w2))
        (w3, w4, w5) = (twice(window.w3), twice(window.w4), twice(window.w5))
        (w6, w7, w8) = (twice(window.w6), twice(window.w7), twice(window.w8))
    }

    /// Output pixels `x…x+3` of a row, stride 1, whose first window's top-left cell is at
    /// `top`: pixels x and x + 1 in the first register, x + 2 and x + 3 in the second; taps in
    /// (ky, kx) order from zero.
    @inline(__always)
    func sums(_ top: UnsafePointer<Float>, rowCells: Int) -> (WideVector, WideVector) {
        let middle = top + 8 * rowCells, bottom = middle + 8 * rowCells
        var sums = (WideVector(), WideVector())
        Self.add(row: top, w0, w1, w2, to: &sums)
        Self.add(row: middle, w3, w4, w5, to: &sums)
        Self.add(row: bottom, w6, w7, w8, to: &sums)
        return sums
    }

    @inline(__always)
    private static func add(
        row: UnsafePointer<Float>, _ a: WideVector, _ b: WideVector, _ c: WideVector, to s: inout (WideVector, WideVector)
    ) {
        s.0 = multiplyAdd(s.0, a, row.wideVector(at: 0)); s.1 = multiplyAdd(s.1, a, row.wideVector(at: 16))
        s.0 = multiplyAdd(s.0, b, row.wideVector(at: 8)); s.1 = multiplyAdd(s.1, b, row.wideVector(at: 24))
        s.0 = multiplyAdd(s.0, c, row.wideVector(at: 16)); s.1 = multiplyAdd(s.1, c, row.wideVector(at: 32))
    }
}
#endif
