/// The kernels that are compiled once per instruction set (`ShuffleKernelsPortable`,
/// `ShuffleKernelsAVX2`, `ShuffleKernelsAVX512`: the same source built with different target
/// flags). The engine picks one set when a `KernelContext` is made and calls it for every
/// matrix product and depthwise plane, so one binary runs on any x86-64 CPU and uses the widest
/// vectors the CPU has.
public protocol KernelSet {
    /// The instruction set's name as `InstructionSet` spells it: "portable", "avx2", "avx512".
    static var name: String { get }
    /// Whether this build's products prefer wide register tiles (32, 48 or 64 columns: 32 vector registers).
    static var wideTiles: Bool { get }
    /// Computes `product`. `wideTiles` chooses the tile shapes; both give the same bits, so it
    /// is a parameter only so the wide tiles can be tested on machines without AVX-512.
    static func multiply(_ product: MatrixMultiply, wideTiles: Bool)
    /// One plane of a 3×3 depthwise convolution, padding 1, stride 1 or 2, read in place.
    static func depthwise3x3(_ plane: DepthwiseRows, stride: Int)
    /// Eight channels of a 3×3 depthwise convolution, stride 1, padding 1, computed together.
    static func depthwiseBlock(_ block: DepthwiseBlock)
    /// One plane of a depthwise convolution over a padded copy.
    static func depthwise(_ plane: DepthwisePlane, kernelSize: Int)
    /// Eight channels of a 3×3 stride-2 pooling, computed together.
    static func poolBlock(_ block: PoolBlock)
    /// Average or max pools output rows `rows` (all if nil) of one plane.
    static func pool(_ plane: PoolPlane, average: Bool, rows: Range<Int>?)
    /// Output rows `rows` (pooled rows when it pools) of a stem convolution, every channel.
    static func stem(_ convolution: StemConvolution, rows: Range<Int>)
    /// Outputs `rows` of a fully connected layer, for every batch item.
    static func linear(_ layer: LinearRows, rows: Range<Int>)
}
