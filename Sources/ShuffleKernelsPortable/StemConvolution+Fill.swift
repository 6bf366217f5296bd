import ShuffleKernelCore

// The stem kernel's input rows, compiled once per instruction set.

extension StemConvolution {
    /// Padded row `row` of every input channel into its ring slot, `row % ringRows`.
    @inline(__always)
    func fillRing(_ ring: UnsafeMutablePointer<Float>, row: Int) {
        let slot = row % StemConvolution.ringRows
        for ic in 0..<inputChannels {
            fillPhases(
                ring + (ic * StemConvolution.ringRows + slot) * 2 * phaseRowFloats,
                from: input + ic * inputHeight * inputWidth, rows: row..<(row + 1))
        }
    }

    /// Padded rows `rows` of one input channel into phase rows (even then odd, `phaseRowFloats`
    /// each), zeros in the padding.
    @inline(__always)
    private func fillPhases(_ band: UnsafeMutablePointer<Float>, from source: UnsafePointer<Float>, rows: Range<Int>) {
        let length = phaseRowFloats
        for y in rows {
            let even = band + (y - rows.lowerBound) * 2 * length
            let odd = even + length
            let sourceY = y - padding
            guard sourceY >= 0 && sourceY < inputHeight else {
                var x = 0
                while x < 2 * length {
                    even.store(Vector(), at: x)
                    x += 8
                }
                continue
            }
            // Zeros first where padding can fall (the first vector, and from the row's end on),
            // then the row's cells over them.
            even.store(Vector(), at: 0)
            odd.store(Vector(), at: 0)
            var x = inputWidth / 2
            while x < length {
                let start = min(x, length - 8)
                even.store(Vector(), at: start)
                odd.store(Vector(), at: start)
                x = start + 8
            }
            let row = source + sourceY * inputWidth
            // Source column c is padded column c + padding: even columns go to phase padding % 2.
            let evens = (padding % 2 == 0 ? even : odd) + padding / 2
            let odds = (padding % 2 == 0 ? odd : even) + (padding + 1) / 2
            let pairedWidth = inputWidth & ~1
            var c = 0
            if pairedWidth >= 16 {
                while true {
                    let start = min(c, pairedWidth - 16)
                    let pair = UnsafeRawPointer(row + start).floats(as: SIMD16<Float>.self)
                    evens.store(pair.evenHalf, at: start / 2)
                    odds.store(pair.oddHalf, at: start / 2)
                    if start + 16 >= pairedWidth { break }
                    c = start + 16
                }
                c = pairedWidth
            }
            while c + 2 <= inputWidth {
                evens[c / 2] = row[c]
                odds[c / 2] = row[c + 1]
                c += 2
            }
            if c < inputWidth { evens[c / 2] = row[c] }
        }
    }
}
