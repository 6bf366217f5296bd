/// A fully connected layer: `output[n, o] = bias[o] + Σ_i weight[o, i] · input[n, i]`.
/// `KernelSet.linear` computes a block of outputs for every batch item, so each weight row is
/// read from memory once.
public struct LinearRows {
    public var features: Int
    public var outputs: Int
    public var batch: Int
    /// `[outputs, features]`
    public var weight: UnsafePointer<Float>
    public var bias: UnsafePointer<Float>
    /// `[batch, features]`
    public var input: UnsafePointer<Float>
    /// `[batch, outputs]`
    public var output: UnsafeMutablePointer<Float>

    public init(
        features: Int, outputs: Int, batch: Int, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>
    ) {
        self.features = features
        self.outputs = outputs
        self.batch = batch
        self.weight = weight
        self.bias = bias
        self.input = input
        self.output = output
    }
}
