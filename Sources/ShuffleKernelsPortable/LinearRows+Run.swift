import ShuffleKernelCore

// The fully connected layer's kernel, compiled once per instruction set. Rows go four at a
// time: one load of the input serves four rows' multiply-adds. The weights (3.75 MB for
// ShuffleNet's classifier, beyond L2) are packed so each block of four rows is one sequential
// stream (`LinearRows.packed`), and the next block is prefetched meanwhile.

extension LinearRows {
    /// Outputs `rows` for every batch item.
    func run(_ rows: Range<Int>) {
        var o = rows.lowerBound
        while o + 4 <= rows.upperBound {
            for n in 0..<batch { fourRows(o, n) }
            o += 4
        }
        while o < rows.upperBound {
            for n in 0..<batch {
                output[n * outputs + o] = bias[o] + Self.dot(weight + o * features, input + n * features, count: features)
            }
            o += 1
        }
    }

    /// `Σ a[i] · b[i]` with four independent vector sums so the multiply-adds overlap.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var s0 = Vector(), s1 = Vector(), s2 = Vector(), s3 = Vector()
        var i = 0
        while i + 32 <= count {
            s0 = multiplyAdd(s0, a.vector(at: i), b.vector(at: i))
            s1 = multiplyAdd(s1, a.vector(at: i + 8), b.vector(at: i + 8))
            s2 = multiplyAdd(s2, a.vector(at: i + 16), b.vector(at: i + 16))
            s3 = multiplyAdd(s3, a.vector(at: i + 24), b.vector(at: i + 24))
            i += 32
        }
        while i + 8 <= count {
            s0 = multiplyAdd(s0, a.vector(at: i), b.vector(at: i))
            i += 8
        }
        var total = ((s0 + s1) + (s2 + s3)).sum()
        while i < count {
            total = multiplyAdd(total, a[i], b[i])
            i += 1
        }
        return total
    }

    /// Outputs `o..<o + 4` of batch item `n`: two vector sums per row, eight in all.
    @inline(__always)
    private func fourRows(_ o: Int, _ n: Int) {
        let x = input + n * features
        // The block's packed weights, read front to back: `w` is always the next chunk.
        var w = weight + o * features
        var s00 = Vector(), s01 = Vector(), s10 = Vector(), s11 = Vector()
        var s20 = Vector(), s21 = Vector(), s30 = Vector(), s31 = Vector()
        // The next block's weights, a whole call ahead: the four lines of each 64-float chunk.
        let ahead = 4 * features
        var i = 0
        while i + 16 <= features {
            prefetch(w + ahead)
            prefetch(w + ahead + 16)
            prefetch(w + ahead + 32)
            prefetch(w + ahead + 48)
            let xa = x.vector(at: i), xb = x.vector(at: i + 8)
            s00 = multiplyAdd(s00, w.vector(at: 0), xa)
            s01 = multiplyAdd(s01, w.vector(at: 8), xb)
            s10 = multiplyAdd(s10, w.vector(at: 16), xa)
            s11 = multiplyAdd(s11, w.vector(at: 24), xb)
            s20 = multiplyAdd(s20, w.vector(at: 32), xa)
            s21 = multiplyAdd(s21, w.vector(at: 40), xb)
            s30 = multiplyAdd(s30, w.vector(at: 48), xa)
            s31 = multiplyAdd(s31, w.vector(at: 56), xb)
            w += 64
            i += 16
        }
        if i + 8 <= features {
            let xa = x.vector(at: i)
            s00 = multiplyAdd(s00, w.vector(at: 0), xa)
            s10 = multiplyAdd(s10, w.vector(at: 8), xa)
            s20 = multiplyAdd(s20, w.vector(at: 16), xa)
            s30 = multiplyAdd(s30, w.vector(at: 24), xa)
            w += 32
            i += 8
        }
        var t0 = (s00 + s01).sum(), t1 = (s10 + s11).sum(), t2 = (s20 + s21).sum(), t3 = (s30 + s31).sum()
        while i < features {
            t0 = multiplyAdd(t0, w[0], x[i])
            t1 = multiplyAdd(t1, w[1], x[i])
            t2 = multiplyAdd(t2, w[2], x[i])
            t3 = multiplyAdd(t3, w[3], x[i])
            w += 4
            i += 1
        }
        let y = output + n * outputs + o
        y[0] = bias[o] + t0
        y[1] = bias[o + 1] + t1
        y[2] = bias[o + 2] + t2
        y[3] = bias[o + 3] + t3
    }
}
