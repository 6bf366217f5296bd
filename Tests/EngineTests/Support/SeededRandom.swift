@testable import ShuffleEngine

/// Test data from SplitMix64, so every test sees the same numbers on every run.
typealias SeededRandom = SplitMix64

extension SplitMix64 {
    /// `count` floats uniform in [-1, 1).
    mutating func floats(_ count: Int) -> [Float] {
        (0..<count).map { _ in Float.random(in: -1..<1, using: &self) }
    }

    mutating func tensor(_ shape: Shape) -> Tensor { Tensor(shape: shape, storage: floats(shape.count)) }

    /// A convolution with random weights and bias.
    mutating func convolution(
        inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
        groups: Int = 1, relu: Bool = false
    ) -> Convolution {
        Convolution(
            inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize, stride: stride,
            padding: padding, groups: groups, relu: relu,
            weight: floats(outputChannels * (inputChannels / groups) * kernelSize * kernelSize),
            bias: floats(outputChannels))
    }
}

/// Largest |a - b| divided by the largest |expected| (at least 1e-30), so one tolerance fits
/// tensors of any scale.
func relativeError(_ actual: Tensor, _ expected: Tensor) -> Float {
    guard actual.shape == expected.shape else { return .infinity }
    var worst: Float = 0
    var scale: Float = 1e-30
    for (a, e) in zip(actual.storage, expected.storage) {
        if a.isNaN != e.isNaN { return .infinity }
        worst = max(worst, abs(a - e))
        scale = max(scale, abs(e))
    }
    return worst / scale
}

/// Runs `op` through the optimised kernels (the given instruction set's build) and the
/// reference on the same inputs.
func runBoth(
    _ op: Op, _ inputs: [Tensor], threads: Int = 1, instructionSet: InstructionSet = .selected
) throws -> (fast: Tensor, reference: Tensor) {
    let shape = try op.outputShape(for: inputs.map(\.shape))
    let context = KernelContext(threads: threads, instructionSet: instructionSet)
    return (Kernels.run(op, inputs: inputs, outputShape: shape, context: context),
            Reference.run(op, inputs: inputs, outputShape: shape))
}

/// Plane sizes with odd and degenerate dimensions.
let testPlanes: [(h: Int, w: Int)] = [(1, 1), (3, 5), (7, 7), (13, 11)]
