import ShuffleKernelCore

// The 32-column register tiles of the AVX-512 build: a panel's rows (up to 6) × two vectors of
// 16 lanes, 12 accumulators of the 32 vector registers. Every output starts from its bias (or
// its partial sum) and adds its products in increasing `k`, as the 16-column tiles do, so the
// wide and narrow tiles give the same bits.

/// Sixteen floats: one AVX-512 register.
typealias WideVector = SIMD16<Float>

extension MatrixMultiply {
    /// One depth chunk over 32-column tiles for `columns / 32 · 32` columns; `sweep` does the rest
    /// (up to 31 columns) exactly as it does after its own 16-column tiles.
    func sweepWide(_ chunk: DepthChunk) {
        let wide = columns / 32 * 32
        if wide > 0 {
            // The same choice of which operand stays in L1 as `sweep` makes.
            if rows * chunk.count > 6 * 1024 && columns <= 4 * rows {
                for panel in panelRange {
                    for column in stride(from: 0, to: wide, by: 32) { wideTile(panel: panel, column: column, chunk) }
                }
            } else {
                for column in stride(from: 0, to: wide, by: 32) {
                    for panel in panelRange { wideTile(panel: panel, column: column, chunk) }
                }
            }
        }
        guard wide < columns else { return }
        sweep(chunk, from: wide)
    }

    @inline(__always)
    private func wideTile(panel: Int, column: Int, _ chunk: DepthChunk) {
        let row = panels.firstRow(panel), height = panels.height(panel)
        let a = panelStart(panel, chunk)
        let b = self.b + chunk.start * leadingB + column
        let c = self.c + row * leadingC + column
        let bias = self.bias + row
        switch height {
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

    /// `Rows.count` (up to 6) × 32 columns.
    func tile32<Rows: TileRows>(
        _: Rows.Type, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        _ bias: UnsafePointer<Float>, _ chunk: DepthChunk
    ) {
        // Accumulators past `rows` are never used; the branches below fold away.
        let rows = Rows.count
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
        let finish = TileFinish(self, c, chunk)
        var bRow = b, aK = a
        for _ in 0..<chunk.count {
            let b0 = UnsafeRawPointer(bRow).floats(as: WideVector.self)
            let b1 = UnsafeRawPointer(bRow + 16).floats(as: WideVector.self)
            bRow += leadingB
            let x0 = WideVector(repeating: aK[0])
            c00 = multiplyAdd(c00, x0, b0)
            c01 = multiplyAdd(c01, x0, b1)
            if rows > 1 {
                let x1 = WideVector(repeating: aK[1])
                c10 = multiplyAdd(c10, x1, b0)
                c11 = multiplyAdd(c11, x1, b1)
            }
            if rows > 2 {
                let x2 = WideVector(repeating: aK[2])
                c20 = multiplyAdd(c20, x2, b0)
                c21 = multiplyAdd(c21, x2, b1)
            }
            if rows > 3 {
                let x3 = WideVector(repeating: aK[3])
                c30 = multiplyAdd(c30, x3, b0)
                c31 = multiplyAdd(c31, x3, b1)
            }
            if rows > 4 {
                let x4 = WideVector(repeating: aK[4])
                c40 = multiplyAdd(c40, x4, b0)
                c41 = multiplyAdd(c41, x4, b1)
            }
            if rows > 5 {
                let x5 = WideVector(repeating: aK[5])
                c50 = multiplyAdd(c50, x5, b0)
                c51 = multiplyAdd(c51, x5, b1)
            }
            aK += rows
        }
        finish.storeWide(c00, row: 0, lane: 0)
        finish.storeWide(c01, row: 0, lane: 16)
        if rows > 1 { finish.storeWide(c10, row: 1, lane: 0); finish.storeWide(c11, row: 1, lane: 16) }
        if rows > 2 { finish.storeWide(c20, row: 2, lane: 0); finish.storeWide(c21, row: 2, lane: 16) }
        if rows > 3 { finish.storeWide(c30, row: 3, lane: 0); finish.storeWide(c31, row: 3, lane: 16) }
        if rows > 4 { finish.storeWide(c40, row: 4, lane: 0); finish.storeWide(c41, row: 4, lane: 16) }
        if rows > 5 { finish.storeWide(c50, row: 5, lane: 0); finish.storeWide(c51, row: 5, lane: 16) }
    }
}
