import ShuffleKernelCore

// The register tiles of `MatrixMultiply`, written out accumulator by accumulator: a tile's
// accumulators must be named variables for the compiler to keep all of them in registers.

extension MatrixMultiply {
    /// `Rows.count` × 16 columns. A generic over the row count (rather than an argument) makes
    /// the compiler emit one copy per count with the unused accumulators gone.
    func tile16<Rows: TileRows>(
        _: Rows.Type, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        _ bias: UnsafePointer<Float>, _ chunk: DepthChunk, _ walk: TileWalk
    ) {
        // Accumulators past `rows` are never used; the branches below fold away.
        let rows = Rows.count
        var a = a, b = b, bias = bias
        var finish = TileFinish(self, c, chunk)
        for _ in 0..<walk.count {
            let c = finish.c
            var c00 = start(c, bias, row: 0, lane: 0, chunk), c01 = start(c, bias, row: 0, lane: 8, chunk)
            var c10 = rows > 1 ? start(c, bias, row: 1, lane: 0, chunk) : Vector(), c11 = rows > 1 ? start(c, bias, row: 1, lane: 8, chunk) : Vector()
            var c20 = rows > 2 ? start(c, bias, row: 2, lane: 0, chunk) : Vector(), c21 = rows > 2 ? start(c, bias, row: 2, lane: 8, chunk) : Vector()
            var c30 = rows > 3 ? start(c, bias, row: 3, lane: 0, chunk) : Vector(), c31 = rows > 3 ? start(c, bias, row: 3, lane: 8, chunk) : Vector()
            var c40 = rows > 4 ? start(c, bias, row: 4, lane: 0, chunk) : Vector(), c41 = rows > 4 ? start(c, bias, row: 4, lane: 8, chunk) : Vector()
            var c50 = rows > 5 ? start(c, bias, row: 5, lane: 0, chunk) : Vector(), c51 = rows > 5 ? start(c, bias, row: 5, lane: 8, chunk) : Vector()
            var bRow = b, aK = a
            for _ in 0..<chunk.count {
                let b0 = bRow.vector(at: 0)
                let b1 = bRow.vector(at: 8)
                bRow += leadingB
                prefetch(aK + weightPrefetchDistance)
                let x0 = Vector(repeating: aK[0])
                c00 = multiplyAdd(c00, x0, b0)
                c01 = multiplyAdd(c01, x0, b1)
                if rows > 1 {
                    let x1 = Vector(repeating: aK[1])
                    c10 = multiplyAdd(c10, x1, b0)
                    c11 = multiplyAdd(c11, x1, b1)
                }
                if rows > 2 {
                    let x2 = Vector(repeating: aK[2])
                    c20 = multiplyAdd(c20, x2, b0)
                    c21 = multiplyAdd(c21, x2, b1)
                }
                if rows > 3 {
                    let x3 = Vector(repeating: aK[3])
                    c30 = multiplyAdd(c30, x3, b0)
                    c31 = multiplyAdd(c31, x3, b1)
                }
                if rows > 4 {
                    let x4 = Vector(repeating: aK[4])
                    c40 = multiplyAdd(c40, x4, b0)
                    c41 = multiplyAdd(c41, x4, b1)
                }
                if rows > 5 {
                    let x5 = Vector(repeating: aK[5])
                    c50 = multiplyAdd(c50, x5, b0)
                    c51 = multiplyAdd(c51, x5, b1)
                }
                aK += rows
            }
            finish.store(c00, row: 0, lane: 0)
            finish.store(c01, row: 0, lane: 8)
            if rows > 1 { finish.store(c10, row: 1, lane: 0); finish.store(c11, row: 1, lane: 8) }
            if rows > 2 { finish.store(c20, row: 2, lane: 0); finish.store(c21, row: 2, lane: 8) }
            if rows > 3 { finish.store(c30, row: 3, lane: 0); finish.store(c31, row: 3, lane: 8) }
            if rows > 4 { finish.store(c40, row: 4, lane: 0); finish.store(c41, row: 4, lane: 8) }
            if rows > 5 { finish.store(c50, row: 5, lane: 0); finish.store(c51, row: 5, lane: 8) }
            a += walk.a
            b += walk.b
            bias += walk.bias
            finish.advance(by: walk.c)
        }
    }

    /// `Rows.count` × 8 columns, storing lanes `firstLane...`.
    func tile8<Rows: TileRows>(
        _: Rows.Type, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        _ bias: UnsafePointer<Float>, _ firstLane: Int, _ chunk: DepthChunk
    ) {
        let rows = Rows.count
        var c0 = start(c, bias, row: 0, lane: 0, chunk)
        var c1 = rows > 1 ? start(c, bias, row: 1, lane: 0, chunk) : Vector()
        var c2 = rows > 2 ? start(c, bias, row: 2, lane: 0, chunk) : Vector()
        var c3 = rows > 3 ? start(c, bias, row: 3, lane: 0, chunk) : Vector()
        var c4 = rows > 4 ? start(c, bias, row: 4, lane: 0, chunk) : Vector()
        var c5 = rows > 5 ? start(c, bias, row: 5, lane: 0, chunk) : Vector()
        let finish = TileFinish(self, c, chunk)
        var bRow = b, aK = a
        for _ in 0..<chunk.count {
            let b0 = bRow.vector(at: 0)
            bRow += leadingB
            prefetch(aK + weightPrefetchDistance)
            c0 = multiplyAdd(c0, Vector(repeating: aK[0]), b0)
            if rows > 1 { c1 = multiplyAdd(c1, Vector(repeating: aK[1]), b0) }
            if rows > 2 { c2 = multiplyAdd(c2, Vector(repeating: aK[2]), b0) }
            if rows > 3 { c3 = multiplyAdd(c3, Vector(repeating: aK[3]), b0) }
            if rows > 4 { c4 = multiplyAdd(c4, Vector(repeating: aK[4]), b0) }
            if rows > 5 { c5 = multiplyAdd(c5, Vector(repeating: aK[5]), b0) }
            aK += rows
        }
        finish.store(c0, row: 0, lane: 0, firstLane: firstLane)
        if rows > 1 { finish.store(c1, row: 1, lane: 0, firstLane: firstLane) }
        if rows > 2 { finish.store(c2, row: 2, lane: 0, firstLane: firstLane) }
        if rows > 3 { finish.store(c3, row: 3, lane: 0, firstLane: firstLane) }
        if rows > 4 { finish.store(c4, row: 4, lane: 0, firstLane: firstLane) }
        if rows > 5 { finish.store(c5, row: 5, lane: 0, firstLane: firstLane) }
    }
}
