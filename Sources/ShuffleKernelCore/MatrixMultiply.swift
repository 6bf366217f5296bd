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
    /// `panels.rows × depth`, packed panel by panel (see `RowPanels.pack`); readable 8 floats
    /// past the last panel.
    public var a: UnsafePointer<Float>
    public var panels: RowPanels
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
        a: UnsafePointer<Float>, panels: RowPanels, b: UnsafePointer<Float>, leadingB: Int,
        c: UnsafeMutablePointer<Float>, leadingC: Int, bias: UnsafePointer<Float>,
        depth: Int, columns: Int, relu: Bool, residual: UnsafePointer<Float>? = nil, finalRelu: Bool = false
    ) {
        self.a = a
        self.panels = panels
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

    public var rows: Int { panels.rows }

    /// The tallest panel: the register tiles' height.
    public static let tileRows = 6

    /// Columns past the 16-column tiles this narrow (1 or 2 of them: ShuffleNet's 7×7 planes
    /// leave 49 = 3·16 + 1) are computed a panel's rows at a time, down the depth.
    public static let dotColumns = 2

    /// Whether a product of this depth keeps partial sums in `c` between depth chunks (so `c`
    /// may not alias the residual).
    @inlinable
    public static func chunksDepth(_ depth: Int) -> Bool { depth > 192 }
}
