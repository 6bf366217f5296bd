/// The optimised kernels: one exhaustive dispatch over `Op`.
public enum Kernels {
    public static func run(_ op: Op, inputs: [Tensor], outputShape: Shape) -> Tensor {
        // Until a fast kernel exists for an op, the reference defines it.
        Reference.run(op, inputs: inputs, outputShape: outputShape)
    }
}
