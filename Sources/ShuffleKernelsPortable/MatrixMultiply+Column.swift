import ShuffleKernelCore

// The last one or two columns of a product, a panel's rows at a time.

extension MatrixMultiply {
    /// Columns past the 16-column tiles this narrow (1 or 2 of them: ShuffleNet's 7×7 planes
    /// leave 49 = 3·16 + 1) would cost an 8-column tile almost as much as 8 columns. Instead
    /// each column of `b` is copied to contiguous memory once and a panel's outputs in it are one
    /// vector, a lane per row, that adds `a[row, k] · b[k, column]` for each `k` in turn: the
    /// panel's packed weights for one `k` are neighbouring floats. Every output is summed as the
    /// tiles sum it (from its start, one fused multiply-add per `k` in increasing `k`), so where
    /// a task's columns end changes no bit.
    ///
    /// Outputs every row × `columns` (the `dotColumns` past the tiles, or a whole plane narrower
    /// than 8 columns). Four panels go down the depth together: one panel's vector alone would
    /// wait on its own multiply-add every step.
    func columnTail(columns: Range<Int>, _ chunk: DepthChunk) {
        let count = chunk.count
        // Every column gathered first, so each group of panels' weights is read once, for all
        // the columns in turn, while it is still in L1.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: count * columns.count) { buffer in
            guard let gathered = buffer.baseAddress else { return }
            for (index, column) in columns.enumerated() {
                let source = b + chunk.start * leadingB + column
                let target = gathered + index * count
                for k in 0..<count { target[k] = source[k * leadingB] }
            }
            var panel = panelRange.lowerBound
            while panel + 4 <= panelRange.upperBound {
                for (index, column) in columns.enumerated() {
                    columnPanels(Rows4.self, first: panel, column: column, UnsafePointer(gathered + index * count), chunk)
                }
                panel += 4
            }
            while panel < panelRange.upperBound {
                for (index, column) in columns.enumerated() {
                    columnPanels(Rows1.self, first: panel, column: column, UnsafePointer(gathered + index * count), chunk)
                }
                panel += 1
            }
        }
    }

    /// Panels `first ..< first + Panels.count` of one column, each a vector with a lane per row.
    /// Lanes past a panel's height read the next weights (or the 8 floats after the last) and
    /// are dropped.
    @inline(__always)
    private func columnPanels<Panels: TileRows>(
        _: Panels.Type, first: Int, column: Int, _ gathered: UnsafePointer<Float>, _ chunk: DepthChunk
    ) {
        let count = Panels.count
        let h0 = panels.height(first)
        let h1 = count > 1 ? panels.height(first + 1) : h0
        let h2 = count > 2 ? panels.height(first + 2) : h0
        let h3 = count > 3 ? panels.height(first + 3) : h0
        var a0 = panelStart(first, chunk)
        var a1 = count > 1 ? panelStart(first + 1, chunk) : a0
        var a2 = count > 2 ? panelStart(first + 2, chunk) : a0
        var a3 = count > 3 ? panelStart(first + 3, chunk) : a0
        var s0 = columnStart(first, column: column, chunk)
        var s1 = count > 1 ? columnStart(first + 1, column: column, chunk) : Vector()
        var s2 = count > 2 ? columnStart(first + 2, column: column, chunk) : Vector()
        var s3 = count > 3 ? columnStart(first + 3, column: column, chunk) : Vector()
        for k in 0..<chunk.count {
            let x = Vector(repeating: gathered[k])
            s0 = multiplyAdd(s0, a0.vector(at: 0), x)
            a0 += h0
            if count > 1 { s1 = multiplyAdd(s1, a1.vector(at: 0), x); a1 += h1 }
            if count > 2 { s2 = multiplyAdd(s2, a2.vector(at: 0), x); a2 += h2 }
            if count > 3 { s3 = multiplyAdd(s3, a3.vector(at: 0), x); a3 += h3 }
        }
        columnStore(s0, panel: first, column: column, chunk)
        if count > 1 { columnStore(s1, panel: first + 1, column: column, chunk) }
        if count > 2 { columnStore(s2, panel: first + 2, column: column, chunk) }
        if count > 3 { columnStore(s3, panel: first + 3, column: column, chunk) }
    }

    /// A panel's outputs in one column before this chunk: their biases or partial sums.
    @inline(__always)
    private func columnStart(_ panel: Int, column: Int, _ chunk: DepthChunk) -> Vector {
        let row = panels.firstRow(panel)
        var sums = Vector()
        for lane in 0..<panels.height(panel) {
            sums[lane] = chunk.continues ? c[(row + lane) * leadingC + column] : bias[row + lane]
        }
        return sums
    }

    @inline(__always)
    private func columnStore(_ sums: Vector, panel: Int, column: Int, _ chunk: DepthChunk) {
        let row = panels.firstRow(panel)
        for lane in 0..<panels.height(panel) {
            let index = (row + lane) * leadingC + column
            var value = sums[lane]
            if chunk.finishes {
                if relu { value = rectified(value) }
                if let residual { value += residual[index] }
                if finalRelu { value = rectified(value) }
            }
            c[index] = value
        }
    }
}
