import ShuffleEngine
import Testing

@testable import ShuffleModel

@Suite struct BatchNormFoldingTests {
    /// Two output channels of two weights each. Variances are 4 − ε and 1 − ε so that
    /// √(var + ε) is exactly 2 and 1: scale = γ / √(var + ε) = [3/2, 1/1].
    @Test func foldsByHand() {
        let folded = BatchNormFolding.fold(
            weight: [1, -2, 3, 4], gamma: [3, 1], beta: [1, 0], mean: [0.5, -1], variance: [4 - 1e-5, 1 - 1e-5])
        let expectedWeight: [Float] = [1.5, -3, 3, 4]
        let expectedBias: [Float] = [1 - 0.5 * 1.5, 0 + 1]
        for (actual, expected) in zip(folded.weight + folded.bias, expectedWeight + expectedBias) {
            #expect(abs(actual - expected) < 1e-6)
        }
    }

    /// A folded 1×1 conv must equal conv followed by batch norm, on data.
    @Test func foldedConvolutionEqualsConvolutionThenBatchNorm() {
        var generator = SplitMix64(seed: 3)
        let channelsIn = 4
        let channelsOut = 3
        let side = 5
        let weight = (0..<(channelsOut * channelsIn)).map { _ in Float(generator.uniform(-2, 2)) }
        let gamma = (0..<channelsOut).map { _ in Float(generator.uniform(0.5, 2)) }
        let beta = (0..<channelsOut).map { _ in Float(generator.uniform(-2, 2)) }
        let mean = (0..<channelsOut).map { _ in Float(generator.uniform(-2, 2)) }
        let variance = (0..<channelsOut).map { _ in Float(generator.uniform(0.1, 3)) }
        let input = Tensor(
            shape: Shape(n: 1, c: channelsIn, h: side, w: side),
            storage: (0..<(channelsIn * side * side)).map { _ in Float(generator.uniform(-2, 2)) })
        let folded = BatchNormFolding.fold(weight: weight, gamma: gamma, beta: beta, mean: mean, variance: variance)
        let conv = Convolution(
            inputChannels: channelsIn, outputChannels: channelsOut, kernelSize: 1, stride: 1, padding: 0, groups: 1,
            relu: false, weight: weight, bias: [Float](repeating: 0, count: channelsOut))
        let foldedConv = Convolution(
            inputChannels: channelsIn, outputChannels: channelsOut, kernelSize: 1, stride: 1, padding: 0, groups: 1,
            relu: false, weight: folded.weight, bias: folded.bias)
        let outShape = Shape(n: 1, c: channelsOut, h: side, w: side)
        let plain = Reference.convolution(conv, input, outShape)
        let fused = Reference.convolution(foldedConv, input, outShape)
        for c in 0..<channelsOut {
            for p in 0..<(side * side) {
                let y = Double(plain.storage[c * side * side + p])
                let normalised =
                    Double(gamma[c]) * (y - Double(mean[c])) / (Double(variance[c]) + 1e-5).squareRoot()
                    + Double(beta[c])
                #expect(abs(Double(fused.storage[c * side * side + p]) - normalised) < 1e-5)
            }
        }
    }
}

@Suite struct SeededWeightsTests {
    @Test func sameSeedSameWeightsOtherSeedOtherWeights() throws {
        let configuration = try ShuffleNetConfiguration(groups: 2, width: 0.25)
        let first = ShuffleNetWeights.seeded(configuration: configuration)
        let second = ShuffleNetWeights.seeded(configuration: configuration)
        let other = ShuffleNetWeights.seeded(configuration: configuration, seed: 1)
        #expect(first.tensors == second.tensors)
        #expect(first.tensors[CheckpointLayout.stem.weight] != other.tensors[CheckpointLayout.stem.weight])
        #expect(first.tensors.count == CheckpointLayout.keys.count)
        #expect(!first.isTrained)
    }

    /// On a random 0–255 image every unit's output stays within a sane spread: neither dying
    /// towards zero nor growing with each residual add.
    @Test(arguments: [(3, 1.0), (8, 0.5), (1, 0.25), (4, 1.5)])
    func activationsStayWellScaled(groups: Int, width: Double) throws {
        let configuration = try ShuffleNetConfiguration(groups: groups, width: width, inputSize: 32)
        let graph = ShuffleNetBuilder.graph(try NetworkFixtures.seededParameters(configuration))
        let outputs = try NetworkFixtures.runAll(graph, NetworkFixtures.seededImage(graph.inputShape))
        for (node, output) in zip(graph.nodes, outputs) where node.name.hasSuffix(".combine") || node.name == "head.fc"
        {
            let spread = NetworkFixtures.standardDeviation(output.storage)
            #expect(spread > 0.05 && spread < 20, "g=\(groups) \(width)× \(node.name): std \(spread)")
        }
    }
}
