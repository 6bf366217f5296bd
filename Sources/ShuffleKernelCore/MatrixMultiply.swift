/// One block of a matrix product with a fused epilogue:
/// `c[i, j] = act(bias[i] + Σ_k a[i, k] · b[k, j])` for `i < rows`, `j < columns`, `k < depth`,
/// where `act` is ReLU or the identity. `b` and `c` are row-major, rows `leading…` floats apart;
/// `a` (the weights, fixed for a model) is packed in register-tile panels (`RowPanels`).
///
/// This is the product's description; each instruction-set build of the kernels
/// (`KernelSet.multiply`) computes it in register tiles. Every output starts from its bias and
/// adds its products in increasing `k`, one fused multiply-add at a time, in every tile shape
/// and in the last columns, so within one build the result does not depend on how a caller
/// splits the work.
public struct MatrixMultiply {
    /// `panels.rows × depth`, packed by depth chunk and panel (see `RowPanels.pack`); readable
    /// 8 floats past the end.
    public var a: UnsafePointer<Float>
    /// How `a`'s rows are cut into panels.
    public var panels: RowPanels
    /// The panels (rows) this product computes; `c`, `bias` and `residual` start at row 0.
    public var panelRange: Range<Int>
    /// `[depth, columns]`, row stride `leadingB`
    public var b: UnsafePointer<Float>
    public var leadingB: Int
    /// `[rows, columns]`, row stride `leadingC`
    public var c: UnsafeMutablePointer<Float>
    public var leadingC: Int
    /// `[rows]`
    public var bias: UnsafePointer<Float>
    public var depth: Int
    public var columns: Int
    public var relu: Bool
    /// `[rows, columns]`, row stride `leadingC`: added after the bias and `relu` (a fused residual).
    public var residual: UnsafePointer<Float>?
    /// ReLU after the residual.
    public var finalRelu: Bool

    public init(
        a: UnsafePointer<Float>, panels: RowPanels, panelRange: Range<Int>? = nil, b: UnsafePointer<Float>, leadingB: Int,
        c: UnsafeMutablePointer<Float>, leadingC: Int, bias: UnsafePointer<Float>,
        depth: Int, columns: Int, relu: Bool, residual: UnsafePointer<Float>? = nil, finalRelu: Bool = false
    ) {
        self.a = a
        self.panels = panels
        self.panelRange = panelRange ?? 0..<panels.count
        self.b = b
        self.leadingB = leadingB
        self.c = c
        self.leadingC = leadingC
        self.bias = bias
        self.depth = depth
        self.columns = columns
        self.relu = relu
        self.residual = residual
        self.finalRelu = finalRelu
    }

    /// Rows this product computes.
    public var rows: Int { panels.firstRow(panelRange.upperBound) - panels.firstRow(panelRange.lowerBound) }

    /// The tallest panel: the register tiles' height.
    public static let tileRows = 6

    /// Columns past the 16-column tiles this narrow (1 or 2 of them: ShuffleNet's 7×7 planes
    /// leave 49 = 3·16 + 1) are computed a panel's rows at a time, down the depth.
    public static let dotColumns = 2

    /// Whether a product of this depth keeps partial sums in `c` between depth chunks (so `c`
    /// may not alias the residual).
    @inlinable
    public static func chunksDepth(_ depth: Int) -> Bool { depth > 192 }

    /// Ranges of the depth handled in one sweep over the tiles: long depths are split so a tile's
    /// strip of `b` and panel of `a` stay in L1 together. Chunks of at most 112 keep all of `b` in
    /// L1 for ShuffleNet's last stage (K = 320 in three chunks of 107 × 56 padded columns:
    /// 24 kB) while the panels sweep over it.
    public static func depthChunks(_ depth: Int) -> Int { chunksDepth(depth) ? (depth + 111) / 112 : 1 }

    /// Chunk `index` of `depthChunks(depth)`.
    public static func depthChunk(_ index: Int, of depth: Int) -> Range<Int> {
        let chunks = depthChunks(depth)
        return (index * depth / chunks)..<((index + 1) * depth / chunks)
    }
}
