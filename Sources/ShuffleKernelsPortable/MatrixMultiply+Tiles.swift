import ShuffleKernelCore

// The register tiles of `MatrixMultiply`, written out accumulator by accumulator: a tile's
// accumulators must be named variables for the compiler to keep all of them in registers.

extension MatrixMultiply {
    /// `Rows.count` × 16 columns. A generic over the row count (rather than an argument) makes
    /// the compiler emit one copy per count with the unused accumulators gone.
    func tile16<Rows: TileRows>(
        _: Rows.Type, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        _ bias: UnsafePointer<Float>, _ chunk: DepthChunk
    ) {
        // Rows past `rows` alias row 0 and are never stored; the branches below fold away.
        let rows = Rows.count
        let a0 = a
        let a1 = rows > 1 ? a + leadingA : a
        let a2 = rows > 2 ? a + 2 * leadingA : a
        let a3 = rows > 3 ? a + 3 * leadingA : a
        let a4 = rows > 4 ? a + 4 * leadingA : a
        let a5 = rows > 5 ? a + 5 * leadingA : a
        var c00 = start(c, bias, row: 0, lane: 0, chunk), c01 = start(c, bias, row: 0, lane: 8, chunk)
        var c10 = rows > 1 ? start(c, bias, row: 1, lane: 0, chunk) : Vector(), c11 = rows > 1 ? start(c, bias, row: 1, lane: 8, chunk) : Vector()
        var c20 = rows > 2 ? start(c, bias, row: 2, lane: 0, chunk) : Vector(), c21 = rows > 2 ? start(c, bias, row: 2, lane: 8, chunk) : Vector()
        var c30 = rows > 3 ? start(c, bias, row: 3, lane: 0, chunk) : Vector(), c31 = rows > 3 ? start(c, bias, row: 3, lane: 8, chunk) : Vector()
        var c40 = rows > 4 ? start(c, bias, row: 4, lane: 0, chunk) : Vector(), c41 = rows > 4 ? start(c, bias, row: 4, lane: 8, chunk) : Vector()
        var c50 = rows > 5 ? start(c, bias, row: 5, lane: 0, chunk) : Vector(), c51 = rows > 5 ? start(c, bias, row: 5, lane: 8, chunk) : Vector()
        var bRow = b
        for k in 0..<chunk.count {
            let b0 = bRow.vector(at: 0)
            let b1 = bRow.vector(at: 8)
            bRow += leadingB
            let x0 = Vector(repeating: a0[k])
            c00 = multiplyAdd(c00, x0, b0)
            c01 = multiplyAdd(c01, x0, b1)
            if rows > 1 {
                let x1 = Vector(repeating: a1[k])
                c10 = multiplyAdd(c10, x1, b0)
                c11 = multiplyAdd(c11, x1, b1)
            }
            if rows > 2 {
                let x2 = Vector(repeating: a2[k])
                c20 = multiplyAdd(c20, x2, b0)
                c21 = multiplyAdd(c21, x2, b1)
            }
            if rows > 3 {
                let x3 = Vector(repeating: a3[k])
                c30 = multiplyAdd(c30, x3, b0)
                c31 = multiplyAdd(c31, x3, b1)
            }
            if rows > 4 {
                let x4 = Vector(repeating: a4[k])
                c40 = multiplyAdd(c40, x4, b0)
                c41 = multiplyAdd(c41, x4, b1)
            }
            if rows > 5 {
                let x5 = Vector(repeating: a5[k])
                c50 = multiplyAdd(c50, x5, b0)
                c51 = multiplyAdd(c51, x5, b1)
            }
        }
        store(c00, row: 0, c, bias, 0, chunk)
        store(c01, row: 0, c + 8, bias, 0, chunk)
        if rows > 1 { store(c10, row: 1, c, bias, 0, chunk); store(c11, row: 1, c + 8, bias, 0, chunk) }
        if rows > 2 { store(c20, row: 2, c, bias, 0, chunk); store(c21, row: 2, c + 8, bias, 0, chunk) }
        if rows > 3 { store(c30, row: 3, c, bias, 0, chunk); store(c31, row: 3, c + 8, bias, 0, chunk) }
        if rows > 4 { store(c40, row: 4, c, bias, 0, chunk); store(c41, row: 4, c + 8, bias, 0, chunk) }
        if rows > 5 { store(c50, row: 5, c, bias, 0, chunk); store(c51, row: 5, c + 8, bias, 0, chunk) }
    }

    /// `Rows.count` (up to 12) × 8 columns, storing lanes `firstLane...`.
    func tile8<Rows: TileRows>(
        _: Rows.Type, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        _ bias: UnsafePointer<Float>, _ firstLane: Int, _ chunk: DepthChunk
    ) {
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
        var c0 = start(c, bias, row: 0, lane: 0, chunk)
        var c1 = rows > 1 ? start(c, bias, row: 1, lane: 0, chunk) : Vector()
        var c2 = rows > 2 ? start(c, bias, row: 2, lane: 0, chunk) : Vector()
        var c3 = rows > 3 ? start(c, bias, row: 3, lane: 0, chunk) : Vector()
        var c4 = rows > 4 ? start(c, bias, row: 4, lane: 0, chunk) : Vector()
        var c5 = rows > 5 ? start(c, bias, row: 5, lane: 0, chunk) : Vector()
        var c6 = rows > 6 ? start(c, bias, row: 6, lane: 0, chunk) : Vector()
        var c7 = rows > 7 ? start(c, bias, row: 7, lane: 0, chunk) : Vector()
        var c8 = rows > 8 ? start(c, bias, row: 8, lane: 0, chunk) : Vector()
        var c9 = rows > 9 ? start(c, bias, row: 9, lane: 0, chunk) : Vector()
        var c10 = rows > 10 ? start(c, bias, row: 10, lane: 0, chunk) : Vector()
        var c11 = rows > 11 ? start(c, bias, row: 11, lane: 0, chunk) : Vector()
        var bRow = b
        for k in 0..<chunk.count {
            let b0 = bRow.vector(at: 0)
            bRow += leadingB
            c0 = multiplyAdd(c0, Vector(repeating: a0[k]), b0)
            if rows > 1 { c1 = multiplyAdd(c1, Vector(repeating: a1[k]), b0) }
            if rows > 2 { c2 = multiplyAdd(c2, Vector(repeating: a2[k]), b0) }
            if rows > 3 { c3 = multiplyAdd(c3, Vector(repeating: a3[k]), b0) }
            if rows > 4 { c4 = multiplyAdd(c4, Vector(repeating: a4[k]), b0) }
            if rows > 5 { c5 = multiplyAdd(c5, Vector(repeating: a5[k]), b0) }
            if rows > 6 { c6 = multiplyAdd(c6, Vector(repeating: a6[k]), b0) }
            if rows > 7 { c7 = multiplyAdd(c7, Vector(repeating: a7[k]), b0) }
            if rows > 8 { c8 = multiplyAdd(c8, Vector(repeating: a8[k]), b0) }
            if rows > 9 { c9 = multiplyAdd(c9, Vector(repeating: a9[k]), b0) }
            if rows > 10 { c10 = multiplyAdd(c10, Vector(repeating: a10[k]), b0) }
            if rows > 11 { c11 = multiplyAdd(c11, Vector(repeating: a11[k]), b0) }
        }
        store(c0, row: 0, c, bias, firstLane, chunk)
        if rows > 1 { store(c1, row: 1, c, bias, firstLane, chunk) }
        if rows > 2 { store(c2, row: 2, c, bias, firstLane, chunk) }
        if rows > 3 { store(c3, row: 3, c, bias, firstLane, chunk) }
        if rows > 4 { store(c4, row: 4, c, bias, firstLane, chunk) }
        if rows > 5 { store(c5, row: 5, c, bias, firstLane, chunk) }
        if rows > 6 { store(c6, row: 6, c, bias, firstLane, chunk) }
        if rows > 7 { store(c7, row: 7, c, bias, firstLane, chunk) }
        if rows > 8 { store(c8, row: 8, c, bias, firstLane, chunk) }
        if rows > 9 { store(c9, row: 9, c, bias, firstLane, chunk) }
        if rows > 10 { store(c10, row: 10, c, bias, firstLane, chunk) }
        if rows > 11 { store(c11, row: 11, c, bias, firstLane, chunk) }
    }
}
