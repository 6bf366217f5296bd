/// One block of a matrix product with a fused epilogue:
/// `c[i, j] = act(bias[i] + Σ_k a[i, k] · b[k, j])` for `i < rows`, `j < columns`, `k < depth`,
/// where `act` is ReLU or the identity. Rows of each matrix are `leading…` floats apart.
///
/// This is the product's description; each instruction-set build of the kernels
/// (`KernelSet.multiply`) computes it in register tiles. Every output starts from its bias and
/// adds its products in increasing `k`, in every tile shape, so within one build the result does
/// not depend on how a caller splits the work.
public struct MatrixMultiply {
    /// `[rows, depth]`, row stride `leadingA`
    public var a: UnsafePointer<Float>
    public var leadingA: Int
    /// `[depth, columns]`, row stride `leadingB`
    public var b: UnsafePointer<Float>
    public var leadingB: Int
    /// `[rows, columns]`, row stride `leadingC`
    public var c: UnsafeMutablePointer<Float>
    public var leadingC: Int
    /// `[rows]`
    public var bias: UnsafePointer<Float>
    public var rows: Int
    public var depth: Int
    public var columns: Int
    public var relu: Bool
    /// `[rows, columns]`, row stride `leadingC`: added after the bias and `relu` (a fused residual).
    public var residual: UnsafePointer<Float>?
    /// ReLU after the residual.
    public var finalRelu: Bool
    /// Whether the last one or two columns may be summed as dot products, in another order than
    /// the tiles sum: only where every run cuts the columns the same way.
    public var dotProductTail: Bool

    public init(
        a: UnsafePointer<Float>, leadingA: Int, b: UnsafePointer<Float>, leadingB: Int,
        c: UnsafeMutablePointer<Float>, leadingC: Int, bias: UnsafePointer<Float>,
        rows: Int, depth: Int, columns: Int, relu: Bool,
        residual: UnsafePointer<Float>? = nil, finalRelu: Bool = false, dotProductTail: Bool = true
    ) {
        self.a = a
        self.leadingA = leadingA
        self.b = b
        self.leadingB = leadingB
        self.c = c
        self.leadingC = leadingC
        self.bias = bias
        self.rows = rows
        self.depth = depth
        self.columns = columns
        self.relu = relu
        self.residual = residual
        self.finalRelu = finalRelu
        self.dotProductTail = dotProductTail
    }

    /// Rows of the 16-column register tiles; callers that cut rows between tasks cut on
    /// multiples of it so tasks keep full tiles.
    public static let tileRows = 6

    /// Columns past the 16-column tiles this narrow (1 or 2 of them: ShuffleNet's 7×7 planes
    /// leave 49 = 3·16 + 1) are summed as dot products along the depth where `dotProductTail`.
    public static let dotColumns = 2

    /// Whether a product of this depth keeps partial sums in `c` between depth chunks (so `c`
    /// may not alias the residual).
    @inlinable
    public static func chunksDepth(_ depth: Int) -> Bool { depth > 192 }
}
