import ShuffleKernelCore

// The wide register tiles of the AVX-512 build: a panel's rows (up to 6) × two, three or four
// vectors of 16 lanes (32, 48 or 64 columns), up to 24 accumulators of the 32 vector registers.
// Every output starts from its bias (or its partial sum) and adds its products in increasing
// `k`, as the 16-column tiles do, so every tile width gives the same bits.

/// Sixteen floats: one AVX-512 register.
typealias WideVector = SIMD16<Float>

/// A wide tile's width in 16-lane vectors, known at compile time.
protocol TileVectors { static var count: Int { get } }
enum Vectors2: TileVectors { static var count: Int { 2 } }
enum Vectors3: TileVectors { static var count: Int { 3 } }
enum Vectors4: TileVectors { static var count: Int { 4 } }

extension MatrixMultiply {
    /// The wide tiles' width for `columns` columns: of 64, 48 and 32, the one that leaves the
    /// fewest columns to the narrower tiles after it, the widest on a tie. ShuffleNet's 7 × 7
    /// planes (49 = 48 + 1) take 48; 14 × 14 and larger take 64, which loads `b` a quarter
    /// less often per multiply-add than 32 does.
    static func wideTileColumns(_ columns: Int) -> Int {
        let left64 = columns % 64, left48 = columns % 48, left32 = columns % 32
        if left64 <= left48 && left64 <= left32 { return 64 }
        return left48 <= left32 ? 48 : 32
    }

    /// One depth chunk over wide tiles for as many columns as they cover; `sweep` does the rest
    /// (under 64 columns) exactly as it does after its own 16-column tiles.
    func sweepWide(_ chunk: DepthChunk) {
        let width = Self.wideTileColumns(columns)
        let wide = columns / width * width
        // Strip by strip: a strip of `b` (at most 64 columns × the chunk) stays in L1 while the
        // panels of `a` stream past it, prefetched. Panel by panel (each panel's row of tiles
        // re-reading all of `b` from L2) measured the same or up to 10 % slower on every layer.
        for column in stride(from: 0, to: wide, by: width) {
            for panel in panelRange { wideTile(panel: panel, column: column, width: width, chunk) }
        }
        guard wide < columns else { return }
        sweep(chunk, from: wide)
    }

    @inline(__always)
    private func wideTile(panel: Int, column: Int, width: Int, _ chunk: DepthChunk) {
        switch width {
        case 64: wideTile(Vectors4.self, panel: panel, column: column, chunk)
        case 48: wideTile(Vectors3.self, panel: panel, column: column, chunk)
        default: wideTile(Vectors2.self, panel: panel, column: column, chunk)
        }
    }

    @inline(__always)
    private func wideTile<Vectors: TileVectors>(_ vectors: Vectors.Type, panel: Int, column: Int, _ chunk: DepthChunk) {
        let row = panels.firstRow(panel), height = panels.height(panel)
        let a = panelStart(panel, chunk)
        let b = self.b + chunk.start * leadingB + column
        let c = self.c + row * leadingC + column
        let bias = self.bias + row
        switch height {
        case 6: tileWide(Rows6.self, vectors, a, b, c, bias, chunk)
        case 5: tileWide(Rows5.self, vectors, a, b, c, bias, chunk)
        case 4: tileWide(Rows4.self, vectors, a, b, c, bias, chunk)
        case 3: tileWide(Rows3.self, vectors, a, b, c, bias, chunk)
        case 2: tileWide(Rows2.self, vectors, a, b, c, bias, chunk)
        default: tileWide(Rows1.self, vectors, a, b, c, bias, chunk)
        }
    }

    /// The accumulator a wide tile starts from: the row's bias, or earlier chunks' partial sums.
    @_transparent
    func startWide(
        _ c: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, row: Int, lane: Int, _ chunk: DepthChunk
    ) -> WideVector {
        chunk.continues
            ? c.wideVector(at: row * leadingC + lane)
            : WideVector(repeating: bias[row])
    }

    /// `Rows.count` (up to 6) × `Vectors.count · 16` columns.
    func tileWide<Rows: TileRows, Vectors: TileVectors>(
        _: Rows.Type, _: Vectors.Type, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
        _ c: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, _ chunk: DepthChunk
    ) {
        // Accumulators past `rows` × `vectors` are never used; the branches below fold away.
        let rows = Rows.count, vectors = Vectors.count
        @inline(__always) func begin(_ row: Int, _ vector: Int) -> WideVector {
            row < rows && vector < vectors ? startWide(c, bias, row: row, lane: 16 * vector, chunk) : WideVector()
        }
        var c00 = begin(0, 0), c01 = begin(0, 1), c02 = begin(0, 2), c03 = begin(0, 3)
        var c10 = begin(1, 0), c11 = begin(1, 1), c12 = begin(1, 2), c13 = begin(1, 3)
        var c20 = begin(2, 0), c21 = begin(2, 1), c22 = begin(2, 2), c23 = begin(2, 3)
        var c30 = begin(3, 0), c31 = begin(3, 1), c32 = begin(3, 2), c33 = begin(3, 3)
        var c40 = begin(4, 0), c41 = begin(4, 1), c42 = begin(4, 2), c43 = begin(4, 3)
        var c50 = begin(5, 0), c51 = begin(5, 1), c52 = begin(5, 2), c53 = begin(5, 3)
        var bRow = b, aK = a
        for _ in 0..<chunk.count {
            let b0 = bRow.wideVector(at: 0), b1 = bRow.wideVector(at: 16)
            let b2 = vectors > 2 ? bRow.wideVector(at: 32) : WideVector()
            let b3 = vectors > 3 ? bRow.wideVector(at: 48) : WideVector()
            bRow += leadingB
            prefetch(aK + weightPrefetchDistance)
            @inline(__always) func row(
                _ x: Float, _ s0: inout WideVector, _ s1: inout WideVector, _ s2: inout WideVector, _ s3: inout WideVector
            ) {
                let x = WideVector(repeating: x)
                s0 = multiplyAdd(s0, x, b0)
                s1 = multiplyAdd(s1, x, b1)
                if vectors > 2 { s2 = multiplyAdd(s2, x, b2) }
                if vectors > 3 { s3 = multiplyAdd(s3, x, b3) }
            }
            row(aK[0], &c00, &c01, &c02, &c03)
            if rows > 1 { row(aK[1], &c10, &c11, &c12, &c13) }
            if rows > 2 { row(aK[2], &c20, &c21, &c22, &c23) }
            if rows > 3 { row(aK[3], &c30, &c31, &c32, &c33) }
            if rows > 4 { row(aK[4], &c40, &c41, &c42, &c43) }
            if rows > 5 { row(aK[5], &c50, &c51, &c52, &c53) }
            aK += rows
        }
        let finish = TileFinish(self, c, chunk)
        finish.storeWideRow(c00, c01, c02, c03, row: 0, vectors: vectors)
        if rows > 1 { finish.storeWideRow(c10, c11, c12, c13, row: 1, vectors: vectors) }
        if rows > 2 { finish.storeWideRow(c20, c21, c22, c23, row: 2, vectors: vectors) }
        if rows > 3 { finish.storeWideRow(c30, c31, c32, c33, row: 3, vectors: vectors) }
        if rows > 4 { finish.storeWideRow(c40, c41, c42, c43, row: 4, vectors: vectors) }
        if rows > 5 { finish.storeWideRow(c50, c51, c52, c53, row: 5, vectors: vectors) }
    }
}
