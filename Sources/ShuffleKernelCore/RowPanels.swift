/// How the rows of a product's left matrix (a layer's weights) are cut into panels, one
/// register tile high, and laid out so a tile reads its rows' weights for one `k` as
/// neighbouring floats: one stream through memory per tile instead of one per row, which
/// keeps the hardware prefetcher ahead when the weights come cold from the last-level cache
/// (a 640 × 160 product on 7 × 7 planes ran a third faster packed).
///
/// `rows` split into `ceil(rows / MatrixMultiply.tileRows)` panels of even height (20 rows:
/// 5, 5, 5, 5 rather than 6, 6, 6, 2): the first `taller` are `height + 1` rows, the rest
/// `height`. Depth chunk `k0 ..< k0 + n` (`MatrixMultiply.depthChunk`) of the matrix is stored
/// at `k0 · rows`, and in it panel `p` at `firstRow(p) · n` as `[n][height(p)]`: a sweep over
/// the panels for one chunk reads one stream (cold 8 MB weights of a 2048 × 976 layer started
/// a new stream every 2.6 kB when the chunks of a panel lay together).
public struct RowPanels: Sendable, Equatable {
    /// Panels.
    public var count: Int
    /// Rows of the shorter panels.
    public var height: Int
    /// Panels (the first ones) one row taller.
    public var taller: Int

    /// The even split of `rows` rows.
    public init(rows: Int) {
        count = (rows + MatrixMultiply.tileRows - 1) / MatrixMultiply.tileRows
        height = count == 0 ? 0 : rows / count
        taller = count == 0 ? 0 : rows % count
    }

    public var rows: Int { count * height + taller }

    /// The first row of panel `index` (`count` gives `rows`).
    @inlinable
    public func firstRow(_ index: Int) -> Int { index * height + min(index, taller) }

    /// Rows of panel `index`.
    @inlinable
    public func height(_ index: Int) -> Int { height + (index < taller ? 1 : 0) }

    /// Where panel `panel`'s part of depth chunk `chunk` starts, from the matrix's start.
    @inlinable
    public func offset(panel: Int, chunk: Range<Int>) -> Int { chunk.lowerBound * rows + firstRow(panel) * chunk.count }

    /// Writes `a` (`[rows, depth]`, row stride `leadingA`) into `packed` (`rows · depth` floats)
    /// in panel layout.
    public func pack(
        _ a: UnsafePointer<Float>, leadingA: Int, depth: Int, into packed: UnsafeMutablePointer<Float>
    ) {
        for index in 0..<MatrixMultiply.depthChunks(depth) {
            let chunk = MatrixMultiply.depthChunk(index, of: depth)
            for panel in 0..<count {
                let first = firstRow(panel), rowsInPanel = height(panel)
                let destination = packed + offset(panel: panel, chunk: chunk)
                for row in 0..<rowsInPanel {
                    let source = a + (first + row) * leadingA + chunk.lowerBound
                    for k in 0..<chunk.count { destination[k * rowsInPanel + row] = source[k] }
                }
            }
        }
    }

    /// `a` (`groups` matrices of `[rows, depth]`, one after another) in panel layout, each group
    /// at the offset it had, with 8 zeros after the last for the kernels' whole-vector reads.
    public static func packed(_ a: [Float], groups: Int, rows: Int, depth: Int) -> [Float] {
        let panels = RowPanels(rows: rows)
        let count = groups * rows * depth
        precondition(a.count >= count)
        return [Float](unsafeUninitializedCapacity: count + 8) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            a.withUnsafeBufferPointer { source in
                guard let source = source.baseAddress else { return }
                for group in 0..<groups {
                    let offset = group * rows * depth
                    panels.pack(source + offset, leadingA: depth, depth: depth, into: base + offset)
                }
            }
            (base + count).initialize(repeating: 0, count: 8)
            initialized = count + 8
        }
    }
}
