import ShuffleKernelCore

// The 12 × 32 register tiles of the AVX-512 build: 24 accumulators of 16 lanes, which the 32
// vector registers of AVX-512 hold with room for the two vectors of `b` and the broadcasts.
// Every output starts from its bias (or its partial sum) and adds its products in increasing
// `k`, as the 16-column tiles do, so the wide and narrow tiles give the same bits.

/// Sixteen floats: one AVX-512 register.
typealias WideVector = SIMD16<Float>

extension MatrixMultiply {
    /// Rows of the wide tiles.
    static var wideTileRows: Int { 12 }

    /// One depth chunk over 32-column tiles for `columns / 32 · 32` columns; `sweep` does the rest
    /// (up to 31 columns) exactly as it does after its own 16-column tiles.
    func sweepWide(_ chunk: DepthChunk) {
        let wide = columns / 32 * 32
        let blocks = (rows + Self.wideTileRows - 1) / Self.wideTileRows
        if wide > 0 {
            // The same choice of which operand stays in L1 as `sweep` makes.
            if rows * chunk.count > 6 * 1024 && columns <= 4 * rows {
                var row = 0
                for block in 0..<blocks {
                    let height = rows / blocks + (block < rows % blocks ? 1 : 0)
                    for column in stride(from: 0, to: wide, by: 32) { wideTile(row: row, column: column, height: height, chunk) }
                    row += height
                }
            } else {
                for column in stride(from: 0, to: wide, by: 32) {
                    var row = 0
                    for block in 0..<blocks {
                        let height = rows / blocks + (block < rows % blocks ? 1 : 0)
                        wideTile(row: row, column: column, height: height, chunk)
                        row += height
                    }
                }
            }
        }
        guard wide < columns else { return }
        sweep(chunk, from: wide)
    }

    @inline(__always)
    private func wideTile(row: Int, column: Int, height: Int, _ chunk: DepthChunk) {
        let a = self.a + row * leadingA + chunk.start
        let b = self.b + chunk.start * leadingB + column
        let c = self.c + row * leadingC + column
        let bias = self.bias + row
        switch height {
        case 12: tile32(Rows12.self, a, b, c, bias, chunk)
        case 11: tile32(Rows11.self, a, b, c, bias, chunk)
        case 10: tile32(Rows10.self, a, b, c, bias, chunk)
        case 9: tile32(Rows9.self, a, b, c, bias, chunk)
        case 8: tile32(Rows8.self, a, b, c, bias, chunk)
        case 7: tile32(Rows7.self, a, b, c, bias, chunk)
        case 6: tile32(Rows6.self, a, b, c, bias, chunk)
        case 5: tile32(Rows5.self, a, b, c, bias, chunk)
        case 4: tile32(Rows4.self, a, b, c, bias, chunk)
        case 3: tile32(Rows3.self, a, b, c, bias, chunk)
        case 2: tile32(Rows2.self, a, b, c, bias, chunk)
        default: tile32(Rows1.self, a, b, c, bias, chunk)
        }
    }

    /// The accumulator a wide tile starts from: the row's bias, or earlier chunks' partial sums.
    @_transparent
    func startWide(
        _ c: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, row: Int, lane: Int, _ chunk: DepthChunk
    ) -> WideVector {
        chunk.continues
            ? UnsafeRawPointer(c + row * leadingC + lane).floats(as: WideVector.self)
            : WideVector(repeating: bias[row])
    }

    /// Stores one wide accumulator, finished (ReLU, residual, ReLU) after the last depth chunk.
    @_transparent
    func storeWide(_ value: WideVector, row: Int, _ c: UnsafeMutablePointer<Float>, _ chunk: DepthChunk) {
        var value = value
        if chunk.finishes {
            if relu { value.replace(with: 0, where: value .< 0) }
            if let residual {
                value += UnsafeRawPointer(residual + (c - self.c) + row * leadingC).floats(as: WideVector.self)
            }
            if finalRelu { value.replace(with: 0, where: value .< 0) }
        }
        UnsafeMutableRawPointer(c + row * leadingC).storeFloats(value)
    }

    /// `Rows.count` (up to 12) × 32 columns.
    func tile32<Rows: TileRows>(
        _: Rows.Type, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        _ bias: UnsafePointer<Float>, _ chunk: DepthChunk
    ) {
        // Rows past `rows` alias row 0 and are never stored; the branches below fold away.
        let rows = Rows.count
        let a0 = a
        let a1 = rows > 1 ? a + 1 * leadingA : a
        let a2 = rows > 2 ? a + 2 * leadingA : a
        let a3 = rows > 3 ? a + 3 * leadingA : a
        let a4 = rows > 4 ? a + 4 * leadingA : a
        let a5 = rows > 5 ? a + 5 * leadingA : a
        let a6 = rows > 6 ? a + 6 * leadingA : a
        let a7 = rows > 7 ? a + 7 * leadingA : a
        let a8 = rows > 8 ? a + 8 * leadingA : a
        let a9 = rows > 9 ? a + 9 * leadingA : a
        let a10 = rows > 10 ? a + 10 * leadingA : a
        let a11 = rows > 11 ? a + 11 * leadingA : a
        var c00 = startWide(c, bias, row: 0, lane: 0, chunk), c01 = startWide(c, bias, row: 0, lane: 16, chunk)
        var c10 = rows > 1 ? startWide(c, bias, row: 1, lane: 0, chunk) : WideVector()
        var c11 = rows > 1 ? startWide(c, bias, row: 1, lane: 16, chunk) : WideVector()
        var c20 = rows > 2 ? startWide(c, bias, row: 2, lane: 0, chunk) : WideVector()
        var c21 = rows > 2 ? startWide(c, bias, row: 2, lane: 16, chunk) : WideVector()
        var c30 = rows > 3 ? startWide(c, bias, row: 3, lane: 0, chunk) : WideVector()
        var c31 = rows > 3 ? startWide(c, bias, row: 3, lane: 16, chunk) : WideVector()
        var c40 = rows > 4 ? startWide(c, bias, row: 4, lane: 0, chunk) : WideVector()
        var c41 = rows > 4 ? startWide(c, bias, row: 4, lane: 16, chunk) : WideVector()
        var c50 = rows > 5 ? startWide(c, bias, row: 5, lane: 0, chunk) : WideVector()
        var c51 = rows > 5 ? startWide(c, bias, row: 5, lane: 16, chunk) : WideVector()
        var c60 = rows > 6 ? startWide(c, bias, row: 6, lane: 0, chunk) : WideVector()
        var c61 = rows > 6 ? startWide(c, bias, row: 6, lane: 16, chunk) : WideVector()
        var c70 = rows > 7 ? startWide(c, bias, row: 7, lane: 0, chunk) : WideVector()
        var c71 = rows > 7 ? startWide(c, bias, row: 7, lane: 16, chunk) : WideVector()
        var c80 = rows > 8 ? startWide(c, bias, row: 8, lane: 0, chunk) : WideVector()
        var c81 = rows > 8 ? startWide(c, bias, row: 8, lane: 16, chunk) : WideVector()
        var c90 = rows > 9 ? startWide(c, bias, row: 9, lane: 0, chunk) : WideVector()
        var c91 = rows > 9 ? startWide(c, bias, row: 9, lane: 16, chunk) : WideVector()
        var c100 = rows > 10 ? startWide(c, bias, row: 10, lane: 0, chunk) : WideVector()
        var c101 = rows > 10 ? startWide(c, bias, row: 10, lane: 16, chunk) : WideVector()
        var c110 = rows > 11 ? startWide(c, bias, row: 11, lane: 0, chunk) : WideVector()
        var c111 = rows > 11 ? startWide(c, bias, row: 11, lane: 16, chunk) : WideVector()
        var bRow = b
        for k in 0..<chunk.count {
            let b0 = UnsafeRawPointer(bRow).floats(as: WideVector.self)
            let b1 = UnsafeRawPointer(bRow + 16).floats(as: WideVector.self)
            bRow += leadingB
            let x0 = WideVector(repeating: a0[k])
            c00 = multiplyAdd(c00, x0, b0)
            c01 = multiplyAdd(c01, x0, b1)
            if rows > 1 {
                let x1 = WideVector(repeating: a1[k])
                c10 = multiplyAdd(c10, x1, b0)
                c11 = multiplyAdd(c11, x1, b1)
            }
            if rows > 2 {
                let x2 = WideVector(repeating: a2[k])
                c20 = multiplyAdd(c20, x2, b0)
                c21 = multiplyAdd(c21, x2, b1)
            }
            if rows > 3 {
                let x3 = WideVector(repeating: a3[k])
                c30 = multiplyAdd(c30, x3, b0)
                c31 = multiplyAdd(c31, x3, b1)
            }
            if rows > 4 {
                let x4 = WideVector(repeating: a4[k])
                c40 = multiplyAdd(c40, x4, b0)
                c41 = multiplyAdd(c41, x4, b1)
            }
            if rows > 5 {
                let x5 = WideVector(repeating: a5[k])
                c50 = multiplyAdd(c50, x5, b0)
                c51 = multiplyAdd(c51, x5, b1)
            }
            if rows > 6 {
                let x6 = WideVector(repeating: a6[k])
                c60 = multiplyAdd(c60, x6, b0)
                c61 = multiplyAdd(c61, x6, b1)
            }
            if rows > 7 {
                let x7 = WideVector(repeating: a7[k])
                c70 = multiplyAdd(c70, x7, b0)
                c71 = multiplyAdd(c71, x7, b1)
            }
            if rows > 8 {
                let x8 = WideVector(repeating: a8[k])
                c80 = multiplyAdd(c80, x8, b0)
                c81 = multiplyAdd(c81, x8, b1)
            }
            if rows > 9 {
                let x9 = WideVector(repeating: a9[k])
                c90 = multiplyAdd(c90, x9, b0)
                c91 = multiplyAdd(c91, x9, b1)
            }
            if rows > 10 {
                let x10 = WideVector(repeating: a10[k])
                c100 = multiplyAdd(c100, x10, b0)
                c101 = multiplyAdd(c101, x10, b1)
            }
            if rows > 11 {
                let x11 = WideVector(repeating: a11[k])
                c110 = multiplyAdd(c110, x11, b0)
                c111 = multiplyAdd(c111, x11, b1)
            }
        }
        storeWide(c00, row: 0, c, chunk)
        storeWide(c01, row: 0, c + 16, chunk)
        if rows > 1 { storeWide(c10, row: 1, c, chunk); storeWide(c11, row: 1, c + 16, chunk) }
        if rows > 2 { storeWide(c20, row: 2, c, chunk); storeWide(c21, row: 2, c + 16, chunk) }
        if rows > 3 { storeWide(c30, row: 3, c, chunk); storeWide(c31, row: 3, c + 16, chunk) }
        if rows > 4 { storeWide(c40, row: 4, c, chunk); storeWide(c41, row: 4, c + 16, chunk) }
        if rows > 5 { storeWide(c50, row: 5, c, chunk); storeWide(c51, row: 5, c + 16, chunk) }
        if rows > 6 { storeWide(c60, row: 6, c, chunk); storeWide(c61, row: 6, c + 16, chunk) }
        if rows > 7 { storeWide(c70, row: 7, c, chunk); storeWide(c71, row: 7, c + 16, chunk) }
        if rows > 8 { storeWide(c80, row: 8, c, chunk); storeWide(c81, row: 8, c + 16, chunk) }
        if rows > 9 { storeWide(c90, row: 9, c, chunk); storeWide(c91, row: 9, c + 16, chunk) }
        if rows > 10 { storeWide(c100, row: 10, c, chunk); storeWide(c101, row: 10, c + 16, chunk) }
        if rows > 11 { storeWide(c110, row: 11, c, chunk); storeWide(c111, row: 11, c + 16, chunk) }
    }
}
