/// The description of one channel of a 3×3 depthwise convolution with padding 1 and stride 1 or 2 (every
/// ShuffleNet unit), read straight from the source plane instead of a padded copy.
///
/// A window's three taps along a row are vectors loaded around the output columns' centres.
/// Inside the plane those are plain unaligned loads; the lanes that fall on the padding are
/// zeroed (lane 0 of the left tap in a row's first vector, the lanes past the row in the right
/// tap of its last vector). Rows above and below the plane read a zero line; the first and last
/// rows read copies with zero margins, so no load leaves the source plane (rows in between may
/// read into their neighbours, whose lanes are the zeroed ones). Each output adds its taps in
/// (ky, kx) order from zero, exactly as the padded path does, so both give the same bits.
public struct DepthwiseRows {
    /// `[height, width]`
    public var source: UnsafePointer<Float>
    public var height: Int
    public var width: Int
    /// Three lines of `lineFloats(width:)`: zeros, the first row's copy, the last row's copy,
    /// each with zero margins (see `prepare`).
    public var lines: UnsafeMutablePointer<Float>
    /// `[3, 3]`
    public var weight: UnsafePointer<Float>
    public var bias: Float
    public var relu: Bool
    /// `[outputHeight, outputWidth]`
    public var output: UnsafeMutablePointer<Float>
    public var outputHeight: Int
    public var outputWidth: Int
    public var edges: Edges

    /// The lanes of a row's first and last vectors that fall on the padding, worked out once
    /// per plane shape (building a mask lane by lane costs more than a small plane's taps).
    public struct Edges {
        /// Lane 0 of the left tap (column -1) in a row's first vector.
        public var left: SIMDMask<SIMD8<Int32>>
        /// The right tap's lanes past the row in a row's last vector, which starts at
        /// `outputWidth - 8` (or 0 in a narrower row).
        public var right: SIMDMask<SIMD8<Int32>>

        public init(stride: Int, width: Int, outputWidth: Int) {
            let start = max(0, outputWidth - 8)
            if stride == 1 {
                let lanes = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
                left = lanes .== 0
                // Lane j reads column start + j + 1.
                right = lanes .>= Int32(width - 1 - start)
            } else {
                // Stride-2 taps hold their lanes in `StrideTwo.order`.
                let lanes = DepthwiseRows.strideTwoOrder
                left = lanes .== 0
                // Lane j reads column 2(start + j) + 1.
                right = lanes .>= Int32((width - 2 * start) / 2)
            }
        }
    }

    /// Floats of one line: the row with 8 floats before it and 24 after (a narrow stride-2 row
    /// reads 16 floats past its start).
    @inlinable
    public static func lineFloats(width: Int) -> Int { width + 32 }

    /// Scratch for `lines`.
    @inlinable
    public static func scratchFloats(width: Int) -> Int { 3 * lineFloats(width: width) }

    /// Zeroes all three lines; planes of one shape then only rewrite the two copied rows' middles.
    public static func prepare(_ lines: UnsafeMutablePointer<Float>, width: Int) {
        lines.update(repeating: 0, count: scratchFloats(width: width))
    }

    public init(
        source: UnsafePointer<Float>, height: Int, width: Int, lines: UnsafeMutablePointer<Float>,
        weight: UnsafePointer<Float>, bias: Float, relu: Bool, output: UnsafeMutablePointer<Float>,
        outputHeight: Int, outputWidth: Int, edges: Edges
    ) {
        self.source = source
        self.height = height
        self.width = width
        self.lines = lines
        self.weight = weight
        self.bias = bias
        self.relu = relu
        self.output = output
        self.outputHeight = outputHeight
        self.outputWidth = outputWidth
        self.edges = edges
    }

    /// The lane order stride-2 taps come out in: lanes 2–3 and 4–5 swapped (see the kernels'
    /// `StrideTwo`).
    public static let strideTwoOrder = SIMD8<Int32>(0, 1, 4, 5, 2, 3, 6, 7)
}
