/// Eight channels of a 3×3 pooling with stride 2 and padding 1 (ShuffleNet v1's shortcut average
/// pools), computed together (`KernelSet.poolBlock`) in the layout of `DepthwiseBlock`: the eight
/// planes transposed into a bordered block of 8-channel pixels, each output pixel combined from
/// whole vectors, the results transposed back.
///
/// Each output combines its window as `PoolPlane` does, so both give the same bits: the window's
/// rows that lie in the input, top to bottom, column by column; then the left, centre and right
/// columns in that order, the padding columns (the block's border) holding the pad value (0, or
/// -∞ for max); an average is then scaled by its row's and column's factors.
public struct PoolBlock {
    /// The eight channels' source planes, `[height, width]` each.
    public var sources: DepthwiseBlock.EightPlanes
    public var height: Int
    public var width: Int
    public var outputHeight: Int
    public var outputWidth: Int
    /// Average (else max).
    public var average: Bool
    /// ReLU on the way out (a fused `concat` ReLU).
    public var relu: Bool
    /// `[outputHeight]` and `[outputWidth]`: 1 / (window rows) and 1 / (window columns), for an
    /// average.
    public var rowScales: UnsafePointer<Float>
    public var columnScales: UnsafePointer<Float>
    /// The first channel's output plane; each next channel's starts `outputStride` floats after it.
    public var output: UnsafeMutablePointer<Float>
    public var outputStride: Int
    /// `DepthwiseBlock.scratchFloats(height:width:)` floats, `prepare`d with the pad value.
    public var scratch: UnsafeMutablePointer<Float>
    /// `DepthwiseBlock`'s table of where each input pixel goes in the block.
    public var cells: UnsafePointer<Int32>

    public init(
        sources: DepthwiseBlock.EightPlanes, height: Int, width: Int, average: Bool, relu: Bool,
        rowScales: UnsafePointer<Float>, columnScales: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
        outputStride: Int, scratch: UnsafeMutablePointer<Float>, cells: UnsafePointer<Int32>
    ) {
        self.sources = sources
        self.height = height
        self.width = width
        outputHeight = (height - 1) / 2 + 1
        outputWidth = (width - 1) / 2 + 1
        self.average = average
        self.relu = relu
        self.rowScales = rowScales
        self.columnScales = columnScales
        self.output = output
        self.outputStride = outputStride
        self.scratch = scratch
        self.cells = cells
    }

    /// The pad value a block's border holds.
    public static func padValue(average: Bool) -> Float { average ? 0 : -.infinity }
}
