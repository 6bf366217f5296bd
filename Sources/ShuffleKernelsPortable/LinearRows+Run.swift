import ShuffleKernelCore

// The fully connected layer's kernel, compiled once per instruction set. Rows go four at a
// time: one load of the input serves four rows' multiply-adds, and four weight streams in flight
// hide more of the latency of fetching the weights (3.75 MB for ShuffleNet's classifier, beyond
// L2) than one row's stream does; the next four rows are prefetched meanwhile.

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
        let w0 = weight + o * features, w1 = w0 + features, w2 = w1 + features, w3 = w2 + features
        var s00 = Vector(), s01 = Vector(), s10 = Vector(), s11 = Vector()
        var s20 = Vector(), s21 = Vector(), s30 = Vector(), s31 = Vector()
        // The next four rows' weights, one line per row and step, a whole call ahead.
        let next = w0 + 4 * features
        var i = 0
        while i + 16 <= features {
            prefetch(next + i)
            prefetch(next + features + i)
            prefetch(next + 2 * features + i)
            prefetch(next + 3 * features + i)
            let xa = x.vector(at: i), xb = x.vector(at: i + 8)
            s00 = multiplyAdd(s00, w0.vector(at: i), xa)
            s01 = multiplyAdd(s01, w0.vector(at: i + 8), xb)
            s10 = multiplyAdd(s10, w1.vector(at: i), xa)
            s11 = multiplyAdd(s11, w1.vector(at: i + 8), xb)
            s20 = multiplyAdd(s20, w2.vector(at: i), xa)
            s21 = multiplyAdd(s21, w2.vector(at: i + 8), xb)
            s30 = multiplyAdd(s30, w3.vector(at: i), xa)
            s31 = multiplyAdd(s31, w3.vector(at: i + 8), xb)
            i += 16
        }
        if i + 8 <= features {
            let xa = x.vector(at: i)
            s00 = multiplyAdd(s00, w0.vector(at: i), xa)
            s10 = multiplyAdd(s10, w1.vector(at: i), xa)
            s20 = multiplyAdd(s20, w2.vector(at: i), xa)
            s30 = multiplyAdd(s30, w3.vector(at: i), xa)
            i += 8
        }
        var t0 = (s00 + s01).sum(), t1 = (s10 + s11).sum(), t2 = (s20 + s21).sum(), t3 = (s30 + s31).sum()
        while i < features {
            t0 = multiplyAdd(t0, w0[i], x[i])
            t1 = multiplyAdd(t1, w1[i], x[i])
            t2 = multiplyAdd(t2, w2[i], x[i])
            t3 = multiplyAdd(t3, w3[i], x[i])
            i += 1
        }
        let y = output + n * outputs + o
        y[0] = bias[o] + t0
        y[1] = bias[o + 1] + t1
        y[2] = bias[o + 2] + t2
        y[3] = bias[o + 3] + t3
    }
}
