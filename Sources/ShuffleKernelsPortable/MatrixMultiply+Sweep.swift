import ShuffleKernelCore

// How `MatrixMultiply` walks its register tiles, compiled once per instruction set.

extension MatrixMultiply {
    /// A range of the depth handled in one sweep over the tiles. Long depths are split so a
    /// tile's strip of `b` and block of `a` stay in L1 together; between sweeps the partial
    /// sums wait in `c` as the same floats the registers held, so splitting changes no bit.
    /// Chunks of at most 112 keep all of `b` in L1 for ShuffleNet's last stage (K = 320 in
    /// three chunks of 107 × 56 padded columns: 24 kB) while the row blocks sweep over it.
    struct DepthChunk {
        var start: Int
        var count: Int
        /// Whether `c` holds partial sums to continue from.
        var continues: Bool
        /// Whether this is the last chunk, which applies ReLU and the residual.
        var finishes: Bool
    }

    func run(wideTiles: Bool) {
        guard rows > 0, columns > 0 else { return }
        let chunks = Self.chunksDepth(depth) ? (depth + 111) / 112 : 1
        for index in 0..<chunks {
            let start = index * depth / chunks, end = (index + 1) * depth / chunks
            let chunk = DepthChunk(start: start, count: end - start, continues: index > 0, finishes: index == chunks - 1)
            if wideTiles { sweepWide(chunk) } else { sweep(chunk) }
        }
    }

    /// One depth chunk over 16-column tiles from column `firstColumn` (a multiple of 16; the wide
    /// tiles have done the columns before it), then the last 1 to 15 columns.
    func sweep(_ chunk: DepthChunk, from firstColumn: Int = 0) {
        guard columns >= 8 else {
            narrowTile(rows: rows, width: columns, a + chunk.start, b + chunk.start * leadingB, c, bias, chunk)
            return
        }
        let wide = columns / 16 * 16
        // Even row blocks (20 rows -> 5,5,5,5 rather than 6,6,6,2) keep every tile busy.
        let blocks = (rows + Self.tileRows - 1) / Self.tileRows
        // Whichever operand is re-read for every tile of the other should be the one that stays
        // in L1: `a` (all rows) when it is small, else one block of rows of `a` while `b`
        // streams from L2 (ShuffleNet's last stage: 320 × 80 weights, 7×7 planes).
        if rows * chunk.count > 6 * 1024 && columns <= 4 * rows {
            var row = 0
            for block in 0..<blocks {
                let height = rows / blocks + (block < rows % blocks ? 1 : 0)
                for column in stride(from: firstColumn, to: wide, by: 16) {
                    tile(row: row, column: column, height: height, width: 16, firstLane: 0, chunk)
                }
                row += height
            }
        } else {
            for column in stride(from: firstColumn, to: wide, by: 16) {
                var row = 0
                for block in 0..<blocks {
                    let height = rows / blocks + (block < rows % blocks ? 1 : 0)
                    tile(row: row, column: column, height: height, width: 16, firstLane: 0, chunk)
                    row += height
                }
            }
        }
        // The last 1 to 15 columns: 8-column tiles of up to 12 rows (12 accumulators keep the
        // multiply-add units as busy as the 6 × 16 tiles do). A last partial tile moves back to
        // overlap the one before it and stores only its new lanes, so every output is written
        // once (chunked depths rely on that) and no slow narrow tile is needed.
        var column = wide
        if dotProductTail && columns > wide && columns - wide <= Self.dotColumns {
            dotTail(column: wide, width: columns - wide, chunk)
            return
        }
        while column < columns {
            let remaining = columns - column
            let start = remaining >= 8 ? column : columns - 8
            let firstLane = remaining >= 8 ? 0 : 8 - remaining
            let tallBlocks = (rows + 11) / 12
            var row = 0
            for block in 0..<tallBlocks {
                let height = rows / tallBlocks + (block < rows % tallBlocks ? 1 : 0)
                tile(row: row, column: start, height: height, width: 8, firstLane: firstLane, chunk)
                row += height
            }
            column = start + 8
        }
    }

    @inline(__always)
    func tile(row: Int, column: Int, height: Int, width: Int, firstLane: Int, _ chunk: DepthChunk) {
        let a = self.a + row * leadingA + chunk.start
        let b = self.b + chunk.start * leadingB + column
        let c = self.c + row * leadingC + column
        let bias = self.bias + row
        switch (width, height) {
        case (16, 6): tile16(Rows6.self, a, b, c, bias, chunk)
        case (16, 5): tile16(Rows5.self, a, b, c, bias, chunk)
        case (16, 4): tile16(Rows4.self, a, b, c, bias, chunk)
        case (16, 3): tile16(Rows3.self, a, b, c, bias, chunk)
        case (16, 2): tile16(Rows2.self, a, b, c, bias, chunk)
        case (16, _): tile16(Rows1.self, a, b, c, bias, chunk)
        case (8, 12): tile8(Rows12.self, a, b, c, bias, firstLane, chunk)
        case (8, 11): tile8(Rows11.self, a, b, c, bias, firstLane, chunk)
        case (8, 10): tile8(Rows10.self, a, b, c, bias, firstLane, chunk)
        case (8, 9): tile8(Rows9.self, a, b, c, bias, firstLane, chunk)
        case (8, 8): tile8(Rows8.self, a, b, c, bias, firstLane, chunk)
        case (8, 7): tile8(Rows7.self, a, b, c, bias, firstLane, chunk)
        case (8, 6): tile8(Rows6.self, a, b, c, bias, firstLane, chunk)
        case (8, 5): tile8(Rows5.self, a, b, c, bias, firstLane, chunk)
        case (8, 4): tile8(Rows4.self, a, b, c, bias, firstLane, chunk)
        case (8, 3): tile8(Rows3.self, a, b, c, bias, firstLane, chunk)
        case (8, 2): tile8(Rows2.self, a, b, c, bias, firstLane, chunk)
        case (8, _): tile8(Rows1.self, a, b, c, bias, firstLane, chunk)
        default: narrowTile(rows: height, width: width, a, b, c, bias, chunk)
        }
    }

    /// Fewer than 8 columns in all: one scalar accumulator per output.
    func narrowTile(
        rows: Int, width: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
        _ c: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, _ chunk: DepthChunk
    ) {
        let residual = self.residual.map { $0 + (c - self.c) }
        for i in 0..<rows {
            let aRow = a + i * leadingA
            for j in 0..<width {
                var value: Float = chunk.continues ? c[i * leadingC + j] : bias[i]
                for k in 0..<chunk.count { value = multiplyAdd(value, aRow[k], b[k * leadingB + j]) }
                if chunk.finishes {
                    if relu { value = rectified(value) }
                    if let residual { value += residual[i * leadingC + j] }
                    if finalRelu { value = rectified(value) }
                }
                c[i * leadingC + j] = value
            }
        }
    }

    /// The accumulator a tile starts from: the row's bias, or the partial sums of earlier depth
    /// chunks. (Starting from the bias saves the epilogue an add per vector.)
    @_transparent
    func start(
        _ c: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, row: Int, lane: Int, _ chunk: DepthChunk
    ) -> Vector {
        chunk.continues ? c.vector(at: row * leadingC + lane) : Vector(repeating: bias[row])
    }

    /// Stores lanes `firstLane...` of one accumulator, finished (ReLU, residual, ReLU) after the
    /// last depth chunk.
    @_transparent
    func store(
        _ value: Vector, row: Int, _ c: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, _ firstLane: Int,
        _ chunk: DepthChunk
    ) {
        var value = value
        if chunk.finishes {
            if relu { value = rectified(value) }
            if let residual {
                // `c` may be offset from `self.c`; the residual has the same layout.
                value += residual.vector(at: c - self.c + row * leadingC)
            }
            if finalRelu { value = rectified(value) }
        }
        let destination = c + row * leadingC
        if firstLane == 0 {
            destination.store(value, at: 0)
        } else {
            for lane in firstLane..<8 { destination[lane] = value[lane] }
        }
    }
}

/// A tile height known at compile time.
protocol TileRows { static var count: Int { get } }
enum Rows1: TileRows { static var count: Int { 1 } }
enum Rows2: TileRows { static var count: Int { 2 } }
enum Rows3: TileRows { static var count: Int { 3 } }
enum Rows4: TileRows { static var count: Int { 4 } }
enum Rows5: TileRows { static var count: Int { 5 } }
enum Rows6: TileRows { static var count: Int { 6 } }
enum Rows7: TileRows { static var count: Int { 7 } }
enum Rows8: TileRows { static var count: Int { 8 } }
enum Rows9: TileRows { static var count: Int { 9 } }
enum Rows10: TileRows { static var count: Int { 10 } }
enum Rows11: TileRows { static var count: Int { 11 } }
enum Rows12: TileRows { static var count: Int { 12 } }
