/// Eight channels of a 3×3 depthwise convolution with stride 1 or 2 and padding 1, computed together
/// (`KernelSet.depthwiseBlock`): the eight planes are transposed, eight floats at a time, into
/// a padded block of vectors that each hold one pixel of all eight channels; every output vector
/// is then nine multiply-adds with no edge handling and no lane wasted, and the results are
/// transposed back into the eight output planes.
///
/// On ShuffleNet's planes (56×56 to 7×7) this beats working plane by plane (`DepthwiseRows`),
/// whose rows of 7, 14 or 28 floats fill vectors only partly and all of whose rows need their
/// edge lanes zeroed. Each output adds its taps in (ky, kx) order from zero, then the bias, exactly
/// as the other paths do, so all give the same bits.
public struct DepthwiseBlock {
    /// The source planes of a block's eight channels.
    public typealias EightPlanes = (
        UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>,
        UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>
    )

    /// The eight channels' source planes, `[height, width]` each.
    public var sources: EightPlanes
    public var height: Int
    public var width: Int
    /// 1 or 2.
    public var stride: Int
    /// `(height - 1) / stride + 1`, likewise the width: at least 8 pixels, rows of at least 4.
    public var outputHeight: Int
    public var outputWidth: Int
    /// `[8, 3, 3]`: the eight channels' windows, one after another.
    public var weight: UnsafePointer<Float>
    /// `[8]`
    public var bias: UnsafePointer<Float>
    public var relu: Bool
    /// The first channel's output plane `[outputHeight, outputWidth]`; each next channel's starts
    /// `outputStride` floats after it.
    public var output: UnsafeMutablePointer<Float>
    public var outputStride: Int
    /// `scratchFloats(height:width:)` floats, `prepare`d for this plane size.
    public var scratch: UnsafeMutablePointer<Float>
    /// For each input pixel `p` (row-major), the offset in floats of its vector in the padded
    /// block (`writeCells`); blocks of one plane size share one table.
    public var cells: UnsafePointer<Int32>

    public init(
        sources: EightPlanes, height: Int, width: Int, stride: Int, weight: UnsafePointer<Float>,
        bias: UnsafePointer<Float>, relu: Bool, output: UnsafeMutablePointer<Float>, outputStride: Int,
        scratch: UnsafeMutablePointer<Float>, cells: UnsafePointer<Int32>
    ) {
        self.sources = sources
        self.height = height
        self.width = width
        self.stride = stride
        outputHeight = (height - 1) / stride + 1
        outputWidth = (width - 1) / stride + 1
        self.weight = weight
        self.bias = bias
        self.relu = relu
        self.output = output
        self.outputStride = outputStride
        self.scratch = scratch
        self.cells = cells
    }

    /// Whether planes of `height` × `width` go through blocks at `stride`: outputs of at least a
    /// vector's worth of pixels and rows of at least 4 (the kernel's column step), inputs no
    /// larger than 56 × 56, ShuffleNet's largest at 224 × 224 (measured faster than plane by plane
    /// up to there, stride 1 and 2; larger planes are not measured, and a block's scratch grows
    /// with the plane).
    public static func applies(height: Int, width: Int, stride: Int) -> Bool {
        let outputHeight = (height - 1) / stride + 1, outputWidth = (width - 1) / stride + 1
        return (stride == 1 || stride == 2) && height >= 2 && outputWidth >= 4 && outputHeight * outputWidth >= 8
            && (height + 2) * (width + 2) <= 58 * 58
    }

    /// Floats of the padded input block: `(height + 2) × (width + 2)` pixels of 8 channels.
    @inlinable
    public static func paddedFloats(height: Int, width: Int) -> Int { (height + 2) * (width + 2) * 8 }

    /// Scratch per block: the padded input block, then the output pixels (at most `height ×
    /// width`).
    @inlinable
    public static func scratchFloats(height: Int, width: Int) -> Int {
        paddedFloats(height: height, width: width) + height * width * 8
    }

    /// Floats (`Int32`s) of the `cells` table of planes this size.
    @inlinable
    public static func cellsFloats(height: Int, width: Int) -> Int { height * width }

    /// Writes the `cells` table of planes this size at `table`.
    public static func writeCells(_ table: UnsafeMutablePointer<Float>, height: Int, width: Int) {
        let cells = UnsafeMutableRawPointer(table).bindMemory(to: Int32.self, capacity: height * width)
        for y in 0..<height {
            for x in 0..<width { cells[y * width + x] = Int32(8 * ((y + 1) * (width + 2) + x + 1)) }
        }
    }

    /// Fills the padded block's border with `padValue` (zero for a convolution), which then
    /// stays for every block of this plane size (only the interior is ever written).
    public static func prepare(_ scratch: UnsafeMutablePointer<Float>, height: Int, width: Int, padValue: Float = 0) {
        let rowFloats = (width + 2) * 8
        scratch.update(repeating: padValue, count: rowFloats)
        (scratch + (height + 1) * rowFloats).update(repeating: padValue, count: rowFloats)
        for y in 1...height {
            (scratch + y * rowFloats).update(repeating: padValue, count: 8)
            (scratch + y * rowFloats + (width + 1) * 8).update(repeating: padValue, count: 8)
        }
    }
}
