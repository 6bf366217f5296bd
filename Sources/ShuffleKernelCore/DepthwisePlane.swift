/// One channel of a depthwise convolution over a padded plane (`PaddedPlane`): any window size
/// and stride. `KernelSet.depthwise` computes it.
public struct DepthwisePlane {
    public var layout: PaddedPlane
    public var padded: UnsafePointer<Float>
    /// `[k, k]`
    public var weight: UnsafePointer<Float>
    public var bias: Float
    public var relu: Bool
    /// `[outputHeight, outputWidth]`
    public var output: UnsafeMutablePointer<Float>
    public var outputHeight: Int
    public var outputWidth: Int

    public init(
        layout: PaddedPlane, padded: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: Float, relu: Bool,
        output: UnsafeMutablePointer<Float>, outputHeight: Int, outputWidth: Int
    ) {
        self.layout = layout
        self.padded = padded
        self.weight = weight
        self.bias = bias
        self.relu = relu
        self.output = output
        self.outputHeight = outputHeight
        self.outputWidth = outputWidth
    }
}
