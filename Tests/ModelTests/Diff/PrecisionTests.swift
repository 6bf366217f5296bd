import Foundation
import ShuffleEngine
import Testing

@testable import ShuffleModel

/// The precision simulation against numpy's (and ml_dtypes') rounding and a numpy reference of
/// the int8 scheme, bit for bit (scripts/make_diff_fixtures.py).
@Suite struct PrecisionTests {
    func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

    @Test func halfRoundingMatchesNumpy() throws {
        let input = try DiffFixtures.array("rounding.input.npy").values
        let expected = try DiffFixtures.array("rounding.f16.npy").values
        #expect(input.count > 2000)
        #expect(bits(FloatRounding.round(input, to: .f16)) == bits(expected))
    }

    @Test func bfloat16RoundingMatchesNumpy() throws {
        let input = try DiffFixtures.array("rounding.input.npy").values
        let expected = try DiffFixtures.array("rounding.bf16.npy").values
        #expect(bits(FloatRounding.round(input, to: .bf16)) == bits(expected))
        // Ties go to even: 1 + 2⁻⁸ lies halfway between 1 and 1 + 2⁻⁷.
        #expect(FloatRounding.bfloat16(1 + 0x1p-8) == 1 && FloatRounding.bfloat16(1 + 3 * 0x1p-8) == 1 + 0x1p-6)
    }

    @Test func int8WeightsMatchTheNumpyReference() throws {
        let weights = try DiffFixtures.array("int8.weights.npy")
        let expected = try DiffFixtures.array("int8.weights.expected.npy").values
        let quantized = Int8Quantization.weights(weights.values, outputs: weights.shape[0])
        #expect(bits(quantized) == bits(expected))
        #expect(quantized != weights.values)
    }

    @Test func int8ActivationsMatchTheNumpyReference() throws {
        let range = try DiffFixtures.array("int8.range.npy").values
        let scale = Int8Quantization.ActivationScale(minimum: range[0], maximum: range[1])
        let input = try DiffFixtures.array("int8.activations.npy").values
        #expect(bits(input.map(scale.apply)) == bits(try DiffFixtures.array("int8.activations.expected.npy").values))
        let positive = try DiffFixtures.array("int8.relu.npy").values
        let observed = Int8Quantization.range(positive)
        let relu = Int8Quantization.ActivationScale(minimum: observed.minimum, maximum: observed.maximum)
        #expect(relu.zeroPoint == 0)
        #expect(bits(positive.map(relu.apply)) == bits(try DiffFixtures.array("int8.relu.expected.npy").values))
    }

    /// Every convolution and the classifier of the simulated graph hold rounded weights; other
    /// ops are untouched; int8 holds at most 255 distinct values per output channel.
    @Test func simulatedGraphsRoundEveryWeight() throws {
        let (network, _) = try DiffFixtures.run("g3_reduced").load()
        let graph = network.graph
        let half = PrecisionSimulation.graph(graph, precision: .f16)
        let int8 = PrecisionSimulation.graph(graph, precision: .int8)
        var convolutions = 0
        for index in graph.nodes.indices {
            switch (graph.nodes[index].op, half.nodes[index].op, int8.nodes[index].op) {
            case (.convolution(let original), .convolution(let rounded), .convolution(let quantized)):
                convolutions += 1
                #expect(rounded.weight == original.weight.map(FloatRounding.half))
                #expect(rounded.bias == original.bias.map(FloatRounding.half))
                #expect(quantized.bias == original.bias)
                let row = original.weight.count / original.outputChannels
                #expect(Set(quantized.weight[0..<row]).count <= 255)
            case (.linear(let original), .linear(let rounded), _):
                #expect(rounded.weight == original.weight.map(FloatRounding.half))
            case (let a, let b, let c):
                #expect(a == b && a == c)
            }
        }
        #expect(convolutions > 40)
    }

    /// int8 runs quantize every step's output to its calibrated grid: each step holds at most
    /// 256 distinct values; f16 changes outputs only a little and keeps the top class.
    @Test func simulatedRunsDiffer() throws {
        let f32 = try DiffFixtures.run("g3_reduced").trace()
        let int8 = try DiffFixtures.run("g3_reduced", precision: .int8).trace()
        for step in int8.steps { #expect(Set(step.values).count <= 256, "\(step.name)") }
        let comparison = RunComparison(a: f32, b: try DiffFixtures.run("g3_reduced", precision: .f16).trace())
        #expect(comparison.firstDivergent != nil)
        let logits = try #require(comparison.steps.last)
        #expect(logits.metrics.maxRel > 0 && logits.metrics.maxRel < 0.05)
        #expect(comparison.top1Agrees)
    }
}
