/// One channel of a pooling: where its input, scratch rows and output lie. `KernelSet.pool`
/// computes it.
public struct PoolPlane {
    /// A pooling window: `kernelSize` square, `stride`, `padding` on every side.
    public struct Window {
        public var kernelSize: Int
        public var stride: Int
        public var padding: Int

        public init(kernelSize: Int, stride: Int, padding: Int) {
            self.kernelSize = kernelSize
            self.stride = stride
            self.padding = padding
        }
    }

    /// Floats before each combined row, where its left padding goes.
    public static let margin = 8

    public var window: Window
    /// Layout of the combined row padded and dealt into phases (padded row `padding` is the real one).
    public var line: PaddedPlane
    public var inputHeight: Int
    public var inputWidth: Int
    /// `[inputHeight, inputWidth]`
    public var input: UnsafePointer<Float>
    /// `[outputHeight, combinedStride]`, rows of `[inputWidth]`: each output row's window rows
    /// combined column by column (only the first row is used off the direct path).
    public var combined: UnsafeMutablePointer<Float>
    public var combinedStride: Int
    public var phases: UnsafeMutablePointer<Float>
    /// `[outputWidth]` and beyond: 1 / (window columns), for average pooling.
    public var columnScales: UnsafePointer<Float>
    /// `[outputHeight]`: 1 / (window rows), for average pooling.
    public var rowScales: UnsafePointer<Float>
    /// `[outputHeight, outputWidth]`
    public var output: UnsafeMutablePointer<Float>
    public var outputHeight: Int
    public var outputWidth: Int
    /// ReLU on the way out (a fused `concat` ReLU).
    public var relu: Bool

    public init(
        window: Window, line: PaddedPlane, inputHeight: Int, inputWidth: Int, input: UnsafePointer<Float>,
        combined: UnsafeMutablePointer<Float>, combinedStride: Int, phases: UnsafeMutablePointer<Float>,
        columnScales: UnsafePointer<Float>, rowScales: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
        outputHeight: Int, outputWidth: Int, relu: Bool
    ) {
        self.window = window
        self.line = line
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.input = input
        self.combined = combined
        self.combinedStride = combinedStride
        self.phases = phases
        self.columnScales = columnScales
        self.rowScales = rowScales
        self.output = output
        self.outputHeight = outputHeight
        self.outputWidth = outputWidth
        self.relu = relu
    }
}
