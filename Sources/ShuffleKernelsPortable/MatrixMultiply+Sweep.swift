import ShuffleKernelCore

// How `MatrixMultiply` walks its register tiles, compiled once per instruction set.

extension MatrixMultiply {
    /// A range of the depth (`MatrixMultiply.depthChunk`) handled in one sweep over the tiles;
    /// between sweeps the partial sums wait in `c` as the same floats the registers held, so
    /// splitting changes no bit.
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
        let chunks = Self.depthChunks(depth)
        for index in 0..<chunks {
            let range = Self.depthChunk(index, of: depth)
            let chunk = DepthChunk(start: range.lowerBound, count: range.count, continues: index > 0, finishes: index == chunks - 1)
            if wideTiles { sweepWide(chunk) } else { sweep(chunk) }
        }
    }

    /// Where panel `panel`'s weights for `chunk` start.
    @inline(__always)
    func panelStart(_ panel: Int, _ chunk: DepthChunk) -> UnsafePointer<Float> {
        a + panels.offset(panel: panel, chunk: chunk.start..<(chunk.start + chunk.count))
    }

    /// One depth chunk over 16-column tiles from column `firstColumn` (a multiple of 16; the wide
    /// tiles have done the columns before it), then the last 1 to 15 columns.
    func sweep(_ chunk: DepthChunk, from firstColumn: Int = 0) {
        guard columns >= 8 else {
            // Planes of fewer than 8 pixels (small inputs' last stages): column by column, a
            // panel's rows in one vector, as the 1–2 column tails go.
            columnTail(columns: 0..<columns, chunk)
            return
        }
        let wide = columns / 16 * 16
        // Whichever operand is re-read for every tile of the other should be the one that stays
        // in L1: `a` (all rows) when it is small, else one panel of `a` while `b` streams from
        // L2 (ShuffleNet's last stage: 320 × 80 weights, 7×7 planes).
        if rows * chunk.count > 6 * 1024 && columns <= 4 * rows {
            let walk = TileWalk(count: (wide - firstColumn) / 16, a: 0, b: 16, c: 16, bias: 0)
            if walk.count > 0 {
                for panel in panelRange { tile(panel: panel, column: firstColumn, width: 16, firstLane: 0, chunk, walk) }
            }
        } else {
            // The taller panels come first: at most two walks down a strip.
            let split = min(max(panels.taller, panelRange.lowerBound), panelRange.upperBound)
            for column in stride(from: firstColumn, to: wide, by: 16) {
                walkDown(panelRange.lowerBound..<split, column: column, chunk)
                walkDown(split..<panelRange.upperBound, column: column, chunk)
            }
        }
        if columns > wide && columns - wide <= Self.dotColumns {
            columnTail(columns: wide..<columns, chunk)
            return
        }
        // The last 3 to 15 columns: 8-column tiles. A last partial tile moves back to overlap the
        // one before it and stores only its new lanes, so every output is written once (chunked
        // depths rely on that) and no slow narrow tile is needed.
        var column = wide
        while column < columns {
            let remaining = columns - column
            let start = remaining >= 8 ? column : columns - 8
            let firstLane = remaining >= 8 ? 0 : 8 - remaining
            for panel in panelRange { tile(panel: panel, column: start, width: 8, firstLane: firstLane, chunk) }
            column = start + 8
        }
    }

    /// The 16-column tiles at `column` of panels `run`, all of one height.
    @inline(__always)
    private func walkDown(_ run: Range<Int>, column: Int, _ chunk: DepthChunk) {
        guard !run.isEmpty else { return }
        let height = panels.height(run.lowerBound)
        let walk = TileWalk(count: run.count, a: height * chunk.count, b: 0, c: height * leadingC, bias: height)
        tile(panel: run.lowerBound, column: column, width: 16, firstLane: 0, chunk, walk)
    }

    /// The tile of panel `panel` at `column` (and the `walk` after it).
    @inline(__always)
    func tile(panel: Int, column: Int, width: Int, firstLane: Int, _ chunk: DepthChunk, _ walk: TileWalk = .single) {
        let row = panels.firstRow(panel), height = panels.height(panel)
        let a = panelStart(panel, chunk)
        let b = self.b + chunk.start * leadingB + column
        let c = self.c + row * leadingC + column
        let bias = self.bias + row
        switch (width, height) {
        case (16, 6): tile16(Rows6.self, a, b, c, bias, chunk, walk)
        case (16, 5): tile16(Rows5.self, a, b, c, bias, chunk, walk)
        case (16, 4): tile16(Rows4.self, a, b, c, bias, chunk, walk)
        case (16, 3): tile16(Rows3.self, a, b, c, bias, chunk, walk)
        case (16, 2): tile16(Rows2.self, a, b, c, bias, chunk, walk)
        case (16, _): tile16(Rows1.self, a, b, c, bias, chunk, walk)
        case (_, 6): tile8(Rows6.self, a, b, c, bias, firstLane, chunk)
        case (_, 5): tile8(Rows5.self, a, b, c, bias, firstLane, chunk)
        case (_, 4): tile8(Rows4.self, a, b, c, bias, firstLane, chunk)
        case (_, 3): tile8(Rows3.self, a, b, c, bias, firstLane, chunk)
        case (_, 2): tile8(Rows2.self, a, b, c, bias, firstLane, chunk)
        case (_, _): tile8(Rows1.self, a, b, c, bias, firstLane, chunk)
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
}

/// Consecutive tiles of one shape that one call computes, each `a`, `b`, `c` and `bias` floats
/// past the one before: along a panel's columns, or down a strip's panels. One call per walk
/// rather than per tile keeps the tile's set-up (its pointers and epilogue choice) out of the
/// per-tile cost: a few percent of a K = 40 or K = 80 tile's time.
struct TileWalk {
    var count: Int
    var a: Int
    var b: Int
    var c: Int
    var bias: Int

    static let single = TileWalk(count: 1, a: 0, b: 0, c: 0, bias: 0)
}

/// A tile height known at compile time.
protocol TileRows { static var count: Int { get } }
enum Rows1: TileRows { static var count: Int { 1 } }
enum Rows2: TileRows { static var count: Int { 2 } }
enum Rows3: TileRows { static var count: Int { 3 } }
enum Rows4: TileRows { static var count: Int { 4 } }
enum Rows5: TileRows { static var count: Int { 5 } }
enum Rows6: TileRows { static var count: Int { 6 } }
