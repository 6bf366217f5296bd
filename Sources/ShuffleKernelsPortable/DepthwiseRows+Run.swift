import ShuffleKernelCore

// The 3×3 depthwise kernel of `DepthwiseRows`, compiled once per instruction set.

extension DepthwiseRows {
    /// Input row `y`: the zero line outside the plane, a copy for the first and last rows.
    @inline(__always)
    private func row(_ y: Int) -> UnsafePointer<Float> {
        let line = Self.lineFloats(width: width)
        if y < 0 || y >= height { return UnsafePointer(lines + 8) }
        if y == 0 { return UnsafePointer(lines + line + 8) }
        if y == height - 1 { return UnsafePointer(lines + 2 * line + 8) }
        return source + y * width
    }

    private func copyEdgeRows() {
        let line = Self.lineFloats(width: width)
        copyRow(source, to: lines + line + 8)
        copyRow(source + (height - 1) * width, to: lines + 2 * line + 8)
    }

    /// Copies one source row into the middle of a line, leaving its zero margins as they are.
    @inline(__always)
    private func copyRow(_ from: UnsafePointer<Float>, to line: UnsafeMutablePointer<Float>) {
        if width >= 8 {
            var x = 0
            while x + 8 <= width {
                line.store(from.vector(at: x), at: x)
                x += 8
            }
            if x < width { line.store(from.vector(at: width - 8), at: width - 8) }
        } else {
            for x in 0..<width { line[x] = from[x] }
        }
    }

    /// Row `r`'s taps for the output vector at `start`, stride 1: columns `start - 1`, `start`,
    /// `start + 1`, padding lanes zeroed at a row's ends.
    @inline(__always)
    private func tapsStrideOne(_ r: UnsafePointer<Float>, _ start: Int, left: Bool, right: Bool) -> (Vector, Vector, Vector) {
        var a = r.vector(at: start - 1)
        if left { a.replace(with: 0, where: edges.left) }
        var c = r.vector(at: start + 1)
        if right { c.replace(with: 0, where: edges.right) }
        return (a, r.vector(at: start), c)
    }

    /// Row `r`'s taps for the output vector at `start`, stride 2, lanes in `StrideTwo.order`.
    @inline(__always)
    private func tapsStrideTwo(_ r: UnsafePointer<Float>, _ start: Int, left: Bool, right: Bool) -> (Vector, Vector, Vector) {
        let p = r + 2 * start
        let low = p.vector(at: 0), high = p.vector(at: 8)
        var before = StrideTwo.odds(p.vector(at: -2), p.vector(at: 6))
        var odds = StrideTwo.odds(low, high)
        if left { before.replace(with: 0, where: edges.left) }
        if right { odds.replace(with: 0, where: edges.right) }
        return (before, StrideTwo.evens(low, high), odds)
    }

    /// Stride 1: two output rows at a time, which share two of their four input rows.
    func runStrideOne() {
        copyEdgeRows()
        let window = Window3x3(weight)
        let shift = Vector(repeating: bias)
        var oy = 0
        while oy < height {
            // Past the last row, `row` gives the zero line: an odd last row's partner is
            // computed from it and dropped.
            let r0 = row(oy - 1), r1 = row(oy), r2 = row(oy + 1), r3 = row(oy + 2)
            let out = output + oy * width
            var x = 0
            while x < width {
                let start = rowVectorStart(x, width: width)
                let left = start == 0, right = start + 8 >= width
                let (top, bottom) = window.sums(
                    tapsStrideOne(r0, start, left: left, right: right), tapsStrideOne(r1, start, left: left, right: right),
                    tapsStrideOne(r2, start, left: left, right: right), tapsStrideOne(r3, start, left: left, right: right))
                var upper = top + shift, lower = bottom + shift
                if relu {
                    upper = rectified(upper)
                    lower = rectified(lower)
                }
                // Narrow rows spill into the rows after them, which are stored later.
                out.storeRow(upper, at: start, width: width, planeFloats: (height - oy) * width)
                if oy + 1 < height {
                    (out + width).storeRow(lower, at: start, width: width, planeFloats: (height - oy - 1) * width)
                }
                x = start + 8
            }
            oy += 2
        }
    }

    /// Stride 2: output column `c` reads input columns `2c - 1`, `2c`, `2c + 1`, the odd, even
    /// and odd columns of the sixteen floats around it. Taps are split with one in-lane shuffle
    /// each, which leaves lanes in `StrideTwo.order`; sums are put back in order once, before
    /// the store. (Reusing the taps of the input row two output rows share, by walking columns
    /// of vectors down the plane, measured no faster than reloading them row by row.)
    func runStrideTwo() {
        copyEdgeRows()
        let window = Window3x3(weight)
        let shift = Vector(repeating: bias)
        for oy in 0..<outputHeight {
            let r0 = row(2 * oy - 1), r1 = row(2 * oy), r2 = row(2 * oy + 1)
            let out = output + oy * outputWidth
            var x = 0
            while x < outputWidth {
                let start = rowVectorStart(x, width: outputWidth)
                let left = start == 0, right = start + 8 >= outputWidth
                let (p0, p1, p2) = tapsStrideTwo(r0, start, left: left, right: right)
                let (a0, a1, a2) = tapsStrideTwo(r1, start, left: left, right: right)
                let (b0, b1, b2) = tapsStrideTwo(r2, start, left: left, right: right)
                var value = StrideTwo.natural(window.sum((p0, p1, p2), (a0, a1, a2), (b0, b1, b2)) + shift)
                if relu { value = rectified(value) }
                // Narrow rows spill into the rows after them, which are stored later.
                out.storeRow(value, at: start, width: outputWidth, planeFloats: (outputHeight - oy) * outputWidth)
                x = start + 8
            }
        }
    }
}

/// A 3×3 window's weights, each broadcast to a vector, and its sum: the taps in (ky, kx) order
/// from zero, the order every depthwise path adds them in.
struct Window3x3 {
    var w0, w1, w2, w3, w4, w5, w6, w7, w8: Vector

    /// `weight`: `[3, 3]`
    @inline(__always)
    init(_ weight: UnsafePointer<Float>) {
        w0 = Vector(repeating: weight[0]); w1 = Vector(repeating: weight[1]); w2 = Vector(repeating: weight[2])
        w3 = Vector(repeating: weight[3]); w4 = Vector(repeating: weight[4]); w5 = Vector(repeating: weight[5])
        w6 = Vector(repeating: weight[6]); w7 = Vector(repeating: weight[7]); w8 = Vector(repeating: weight[8])
    }

    /// `Σ w[ky, kx] · tap[ky][kx]` for the taps of the window's top, middle and bottom rows.
    @inline(__always)
    func sum(
        _ top: (Vector, Vector, Vector), _ middle: (Vector, Vector, Vector), _ bottom: (Vector, Vector, Vector)
    ) -> Vector {
        var sum = multiplyAdd(Vector(), w0, top.0)
        sum = multiplyAdd(sum, w1, top.1)
        sum = multiplyAdd(sum, w2, top.2)
        sum = multiplyAdd(sum, w3, middle.0)
        sum = multiplyAdd(sum, w4, middle.1)
        sum = multiplyAdd(sum, w5, middle.2)
        sum = multiplyAdd(sum, w6, bottom.0)
        sum = multiplyAdd(sum, w7, bottom.1)
        return multiplyAdd(sum, w8, bottom.2)
    }

    /// The sums of two vertically adjacent windows, which share their `middle` and `lower`
    /// rows: `sum(upper, middle, lower)` and `sum(middle, lower, bottom)`, their multiply-adds
    /// interleaved so the two chains overlap (measured faster than one sum after the other).
    @inline(__always)
    func sums(
        _ upper: (Vector, Vector, Vector), _ middle: (Vector, Vector, Vector), _ lower: (Vector, Vector, Vector),
        _ bottom: (Vector, Vector, Vector)
    ) -> (Vector, Vector) {
        var top = multiplyAdd(Vector(), w0, upper.0), next = multiplyAdd(Vector(), w0, middle.0)
        top = multiplyAdd(top, w1, upper.1); next = multiplyAdd(next, w1, middle.1)
        top = multiplyAdd(top, w2, upper.2); next = multiplyAdd(next, w2, middle.2)
        top = multiplyAdd(top, w3, middle.0); next = multiplyAdd(next, w3, lower.0)
        top = multiplyAdd(top, w4, middle.1); next = multiplyAdd(next, w4, lower.1)
        top = multiplyAdd(top, w5, middle.2); next = multiplyAdd(next, w5, lower.2)
        top = multiplyAdd(top, w6, lower.0); next = multiplyAdd(next, w6, bottom.0)
        top = multiplyAdd(top, w7, lower.1); next = multiplyAdd(next, w7, bottom.1)
        top = multiplyAdd(top, w8, lower.2); next = multiplyAdd(next, w8, bottom.2)
        return (top, next)
    }
}

/// Splitting sixteen consecutive floats `a ++ b` into even and odd columns with one in-lane
/// shuffle each (no lane-crossing permute): the halves come out as columns
/// `0, 2, 8, 10, 4, 6, 12, 14` (and the odd ones after each), i.e. output lanes in the order
/// `order`. `natural` puts a vector in that order back in order.
enum StrideTwo {
    /// Which natural lane each lane of a split vector holds.
    static var order: SIMD8<Int32> { DepthwiseRows.strideTwoOrder }

    @inline(__always)
    static func evens(_ a: Vector, _ b: Vector) -> Vector { Vector(a[0], a[2], b[0], b[2], a[4], a[6], b[4], b[6]) }

    @inline(__always)
    static func odds(_ a: Vector, _ b: Vector) -> Vector { Vector(a[1], a[3], b[1], b[3], a[5], a[7], b[5], b[7]) }

    /// The inverse of the split's lane order (the order is its own inverse).
    @inline(__always)
    static func natural(_ v: Vector) -> Vector { Vector(v[0], v[1], v[4], v[5], v[2], v[3], v[6], v[7]) }
}
