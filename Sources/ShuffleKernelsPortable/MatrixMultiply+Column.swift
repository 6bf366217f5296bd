import ShuffleKernelCore

// The last few columns of a product, as dot products along the depth.

extension MatrixMultiply {
    /// Columns past the 16-column tiles this narrow (1 or 2 of them: ShuffleNet's 7×7 planes
    /// leave 49 = 3·16 + 1) cost an 8-column tile almost as much as 8 columns would. Instead,
    /// each column of `b` is copied to contiguous memory once and every output becomes a dot
    /// product vectorised along the depth, an eighth of the multiply-adds. The path depends only
    /// on the column count left after the wide tiles (cuts between tasks fall on multiples of 16),
    /// so a given output is summed the same way on any number of threads.
    ///
    /// Outputs `[0, rows) × [column, column + width)`, with `width <= dotColumns`.
    func dotTail(column: Int, width: Int, _ chunk: DepthChunk) {
        let count = chunk.count
        withUnsafeTemporaryAllocation(of: Float.self, capacity: count + 8) { buffer in
            guard let gathered = buffer.baseAddress else { return }
            for j in column..<(column + width) {
                let source = b + chunk.start * leadingB + j
                for k in 0..<count { gathered[k] = source[k * leadingB] }
                var row = 0
                while row + 4 <= rows {
                    dotRows(Rows4.self, row: row, column: j, UnsafePointer(gathered), chunk)
                    row += 4
                }
                while row < rows {
                    dotRows(Rows1.self, row: row, column: j, UnsafePointer(gathered), chunk)
                    row += 1
                }
            }
        }
    }

    /// `Rows.count` outputs of one column, each `start + Σ_k a[row, k] · column[k]`: eight
    /// partial sums per output (in increasing `k` within a lane), then the scalar remainder.
    @inline(__always)
    private func dotRows<Rows: TileRows>(
        _: Rows.Type, row: Int, column: Int, _ gathered: UnsafePointer<Float>, _ chunk: DepthChunk
    ) {
        let rowCount = Rows.count
        let a0 = a + row * leadingA + chunk.start
        let a1 = rowCount > 1 ? a0 + leadingA : a0
        let a2 = rowCount > 2 ? a0 + 2 * leadingA : a0
        let a3 = rowCount > 3 ? a0 + 3 * leadingA : a0
        var s0 = Vector(), s1 = Vector(), s2 = Vector(), s3 = Vector()
        let vectorEnd = chunk.count / 8 * 8
        var k = 0
        while k < vectorEnd {
            let x = gathered.vector(at: k)
            s0 = multiplyAdd(s0, a0.vector(at: k), x)
            if rowCount > 1 { s1 = multiplyAdd(s1, a1.vector(at: k), x) }
            if rowCount > 2 { s2 = multiplyAdd(s2, a2.vector(at: k), x) }
            if rowCount > 3 { s3 = multiplyAdd(s3, a3.vector(at: k), x) }
            k += 8
        }
        finishDot(s0, a0, row: row, column: column, gathered, from: vectorEnd, chunk)
        if rowCount > 1 { finishDot(s1, a1, row: row + 1, column: column, gathered, from: vectorEnd, chunk) }
        if rowCount > 2 { finishDot(s2, a2, row: row + 2, column: column, gathered, from: vectorEnd, chunk) }
        if rowCount > 3 { finishDot(s3, a3, row: row + 3, column: column, gathered, from: vectorEnd, chunk) }
    }

    /// Adds the lanes and the depth's remainder to the output's start, applies the epilogue
    /// after the last depth chunk, and stores it.
    @inline(__always)
    private func finishDot(
        _ sums: Vector, _ aRow: UnsafePointer<Float>, row: Int, column: Int, _ gathered: UnsafePointer<Float>,
        from vectorEnd: Int, _ chunk: DepthChunk
    ) {
        var total = sums.sum()
        for k in vectorEnd..<chunk.count { total = multiplyAdd(total, aRow[k], gathered[k]) }
        let index = row * leadingC + column
        var value = (chunk.continues ? c[index] : bias[row]) + total
        if chunk.finishes {
            if relu { value = rectified(value) }
            if let residual { value += residual[index] }
            if finalRelu { value = rectified(value) }
        }
        c[index] = value
    }
}
