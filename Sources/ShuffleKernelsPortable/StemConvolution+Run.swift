import ShuffleKernelCore

// The stem kernel of `StemConvolution`, compiled once per instruction set.

extension StemConvolution {
    /// Computes output rows `rows` (pooled rows when pooling) of every channel.
    func run(rows: Range<Int>) {
        guard !rows.isEmpty else { return }
        let ring = scratch
        let maxima = scratch + inputChannels * StemConvolution.ringRows * 2 * phaseRowFloats
        if pools {
            // The pooling's padding beside every running-maximum row; the rows' own columns are
            // written by the tiles.
            for row in 0..<(2 * outputChannels) {
                let line = maxima + row * poolRowFloats + 8
                line[-1] = -.infinity
                line[outputWidth] = -.infinity
            }
        }
        // Tap (ic, ky, kx) of a window of row y: even phase at ox (kx = 0), odd phase at ox
        // (kx = 1), even phase at ox + 1 (kx = 2), of padded row 2y + ky of channel ic, which
        // lies in ring slot (2y + ky) % 8: one table for each y % 4.
        let depth = inputChannels * 9
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 4 * depth) { taps in
            for phase in 0..<4 {
                for ic in 0..<inputChannels {
                    for ky in 0..<3 {
                        let slot = (2 * phase + ky) % StemConvolution.ringRows
                        let row = ((ic * StemConvolution.ringRows + slot) * 2) * phaseRowFloats
                        let k = phase * depth + (ic * 3 + ky) * 3
                        taps[k] = row
                        taps[k + 1] = row + phaseRowFloats
                        taps[k + 2] = row + 1
                    }
                }
            }
            guard let taps = UnsafePointer(taps.baseAddress) else { return }
            computeRows(rows: rows, ring: ring, taps: taps, maxima: maxima)
        }
    }

    /// The convolution rows of the band whose output rows are `rows`, each after the padded
    /// input rows it reads are in the ring.
    @inline(__always)
    private func computeRows(
        rows: Range<Int>, ring: UnsafeMutablePointer<Float>, taps: UnsafePointer<Int>, maxima: UnsafeMutablePointer<Float>
    ) {
        // A tile's sums on their way into the running maxima: 6 channels × 16 columns.
        let sums = maxima + 2 * outputChannels * poolRowFloats
        let convolved = convolutionRows(for: rows)
        let depth = inputChannels * 9
        var filled = 2 * convolved.lowerBound
        var y = convolved.lowerBound
        while y < convolved.upperBound {
            // Rows 2m and 2m + 1 (m ≥ 1) go together: row 2m - 1 has started pooled row m.
            let paired = y % 2 == 0 && y >= 2 && y + 1 < convolved.upperBound
            let last = paired ? y + 1 : y
            // Row y reads padded rows 2y ... 2y + 2; slots of rows before 2y are free again.
            while filled < 2 * last + 3 {
                fillRing(ring, row: filled)
                filled += 1
            }
            if paired {
                let next = rows.contains(y / 2 + 1) ? maxima + ((y / 2 + 1) & 1) * outputChannels * poolRowFloats + 8 : nil
                let pairs = Pairs(
                    first: taps + (y % 4) * depth, second: taps + ((y + 1) % 4) * depth,
                    rows: pools ? nil : output + y * outputWidth,
                    maxima: pools ? maxima + ((y / 2) & 1) * outputChannels * poolRowFloats + 8 : nil, next: next)
                var channel = 0
                while channel < outputChannels {
                    var x = 0
                    while x < outputWidth {
                        let start = min(x, outputWidth - 16)
                        #if SHUFFLE_KERNELS_AVX512
                        pairTileWide(channel: channel, column: start, phases: UnsafePointer(ring) + start, pairs: pairs)
                        #else
                        pairTile(channel: channel, column: start, phases: UnsafePointer(ring) + start, pairs: pairs)
                        #endif
                        x = start + 16
                    }
                    channel += Self.pairChannels
                }
            } else {
                let folds = self.folds(row: y, rows: rows, maxima: maxima)
                let rowTaps = taps + (y % 4) * depth
                var channel = 0
                while channel < outputChannels {
                    var x = 0
                    while x < outputWidth {
                        let start = min(x, outputWidth - 16)
                        tile(
                            channel: channel, row: y, column: start, phases: UnsafePointer(ring) + start, taps: rowTaps,
                            sums: sums, folds: folds)
                        x = start + 16
                    }
                    channel += StemConvolution.tileChannels
                }
            }
            y = last + 1
            guard pools else { continue }
            // Pooled row `p` is complete after its window's last row, `min(2p + 1, h - 1)`.
            let p = last / 2
            if rows.contains(p) && last == min(2 * p + 1, outputHeight - 1) {
                poolRow(p, maxima: maxima)
            }
        }
    }

    /// Output channels `channel…channel+5` (fewer at the end: the rest alias the last and are
    /// not stored) at convolution row `y`, columns `column…column+15`. `phases` is the ring at
    /// index `column`; tap `k` reads from `phases + taps[k]`.
    @inline(__always)
    private func tile(
        channel: Int, row y: Int, column: Int, phases: UnsafePointer<Float>, taps: UnsafePointer<Int>,
        sums: UnsafeMutablePointer<Float>, folds: Folds
    ) {
        let depth = inputChannels * 9
        let last = outputChannels - 1
        let w0 = weight + channel * depth
        let w1 = weight + min(channel + 1, last) * depth
        let w2 = weight + min(channel + 2, last) * depth
        let w3 = weight + min(channel + 3, last) * depth
        let w4 = weight + min(channel + 4, last) * depth
        let w5 = weight + min(channel + 5, last) * depth
        var c00 = Vector(repeating: bias[channel]), c01 = c00
        var c10 = Vector(repeating: bias[min(channel + 1, last)]), c11 = c10
        var c20 = Vector(repeating: bias[min(channel + 2, last)]), c21 = c20
        var c30 = Vector(repeating: bias[min(channel + 3, last)]), c31 = c30
        var c40 = Vector(repeating: bias[min(channel + 4, last)]), c41 = c40
        var c50 = Vector(repeating: bias[min(channel + 5, last)]), c51 = c50
        for k in 0..<depth {
            let source = phases + taps[k]
            let b0 = source.vector(at: 0)
            let b1 = source.vector(at: 8)
            var x = Vector(repeating: w0[k])
            c00 = multiplyAdd(c00, x, b0)
            c01 = multiplyAdd(c01, x, b1)
            x = Vector(repeating: w1[k])
            c10 = multiplyAdd(c10, x, b0)
            c11 = multiplyAdd(c11, x, b1)
            x = Vector(repeating: w2[k])
            c20 = multiplyAdd(c20, x, b0)
            c21 = multiplyAdd(c21, x, b1)
            x = Vector(repeating: w3[k])
            c30 = multiplyAdd(c30, x, b0)
            c31 = multiplyAdd(c31, x, b1)
            x = Vector(repeating: w4[k])
            c40 = multiplyAdd(c40, x, b0)
            c41 = multiplyAdd(c41, x, b1)
            x = Vector(repeating: w5[k])
            c50 = multiplyAdd(c50, x, b0)
            c51 = multiplyAdd(c51, x, b1)
        }
        let count = min(StemConvolution.tileChannels, outputChannels - channel)
        if !pools {
            // Straight into the output planes.
            let plane = outputHeight * outputWidth
            let destination = output + channel * plane + y * outputWidth + column
            store(c00, c01, destination)
            if count > 1 { store(c10, c11, destination + plane) }
            if count > 2 { store(c20, c21, destination + 2 * plane) }
            if count > 3 { store(c30, c31, destination + 3 * plane) }
            if count > 4 { store(c40, c41, destination + 4 * plane) }
            if count > 5 { store(c50, c51, destination + 5 * plane) }
            return
        }
        // Through `sums` (in L1), so the running maxima's bookkeeping is written once.
        sums.store(c00, at: 0)
        sums.store(c01, at: 8)
        sums.store(c10, at: 16)
        sums.store(c11, at: 24)
        sums.store(c20, at: 32)
        sums.store(c21, at: 40)
        sums.store(c30, at: 48)
        sums.store(c31, at: 56)
        sums.store(c40, at: 64)
        sums.store(c41, at: 72)
        sums.store(c50, at: 80)
        sums.store(c51, at: 88)
        // Row y is the first row of one pooled row's window and/or a later row of another's.
        let starts = folds.starts.map { $0 + channel * poolRowFloats + column }
        let joins = folds.joins.map { $0 + channel * poolRowFloats + column }
        for index in 0..<count {
            var v0 = sums.vector(at: 16 * index), v1 = sums.vector(at: 16 * index + 8)
            if relu {
                v0 = rectified(v0)
                v1 = rectified(v1)
            }
            if let joins {
                let line = joins + index * poolRowFloats
                line.store(maximum(line.vector(at: 0), v0), at: 0)
                line.store(maximum(line.vector(at: 8), v1), at: 8)
            }
            if let starts {
                let line = starts + index * poolRowFloats
                line.store(v0, at: 0)
                line.store(v1, at: 8)
            }
        }
    }

    /// Sixteen finished sums of one channel into the output.
    @inline(__always)
    private func store(_ v0: Vector, _ v1: Vector, _ destination: UnsafeMutablePointer<Float>) {
        destination.store(relu ? rectified(v0) : v0, at: 0)
        destination.store(relu ? rectified(v1) : v1, at: 8)
    }

    /// Where a convolution row's sums go when pooling: channel 0's running-maximum row of the
    /// pooled row whose window it starts (`starts`) and of the one whose window it continues
    /// (`joins`), channels `poolRowFloats` apart.
    struct Folds {
        var starts: UnsafeMutablePointer<Float>?
        var joins: UnsafeMutablePointer<Float>?
    }

    /// `Folds` of convolution row `y` for a band of pooled rows `rows`. Row y lies in the windows
    /// of pooled rows `y / 2 ... (y + 1) / 2` (rows `2p - 1 ... 2p + 1`); the window's first row,
    /// `max(0, 2p - 1)`, starts its maximum.
    @inline(__always)
    private func folds(row y: Int, rows: Range<Int>, maxima: UnsafeMutablePointer<Float>) -> Folds {
        var folds = Folds()
        guard pools else { return folds }
        for p in (y / 2)...((y + 1) / 2) where rows.contains(p) {
            let line = maxima + (p & 1) * outputChannels * poolRowFloats + 8
            if y == max(0, 2 * p - 1) { folds.starts = line } else { folds.joins = line }
        }
        return folds
    }

    /// Pooled row `p` of every channel from its finished running maxima: columns `2x - 1 ... 2x + 1`,
    /// combined left to right as the pooling kernel combines them.
    @inline(__always)
    private func poolRow(_ p: Int, maxima: UnsafeMutablePointer<Float>) {
        for channel in 0..<outputChannels {
            let left = UnsafePointer(maxima + ((p & 1) * outputChannels + channel) * poolRowFloats + 8) - 1
            let row = output + (channel * pooledHeight + p) * pooledWidth
            var x = 0
            while x < pooledWidth {
                let start = min(x, pooledWidth - 8)
                let near = UnsafeRawPointer(left + 2 * start).floats(as: SIMD16<Float>.self)
                let far = UnsafeRawPointer(left + 2 * start + 2).floats(as: SIMD16<Float>.self)
                var value = maximum(maximum(near.evenHalf, near.oddHalf), far.evenHalf)
                if poolRelu { value = rectified(value) }
                row.store(value, at: start)
                x = start + 8
            }
        }
    }
}

/// The max pooling's combine (`MaximumOfWindow`): `b` where `b > a`, else `a`.
@inline(__always)
func maximum(_ a: Vector, _ b: Vector) -> Vector { a.replacing(with: b, where: b .> a) }

@inline(__always)
func maximum(_ a: WideVector, _ b: WideVector) -> WideVector { a.replacing(with: b, where: b .> a) }
