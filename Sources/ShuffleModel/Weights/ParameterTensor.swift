/// One named array of a checkpoint, decoded to Float, row-major.
public struct ParameterTensor: Sendable, Equatable {
    /// PyTorch's dimensions, e.g. `[outputChannels, inputChannels / groups, 3, 3]` for a conv weight.
    public var shape: [Int]
    /// `shape.reduce(1, *)` values.
    public var values: [Float]

    public init(shape: [Int], values: [Float]) {
        self.shape = shape
        self.values = values
    }
}
