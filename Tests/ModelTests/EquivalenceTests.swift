import ShuffleEngine
import Testing

@testable import ShuffleModel

/// The graph shows the paper's order (shuffle before the depthwise conv) but must compute the
/// authors' network, which shuffles after it. This runs the authors' order directly with the
/// reference kernels and compares every unit's output and the logits.
@Suite struct EquivalenceTests {
    /// The authors' forward pass, ShuffleV1Block by ShuffleV1Block, with `convention` as their
    /// `channel_shuffle`. Returns the 16 unit outputs followed by the logits.
    static func authorsForward(_ parameters: ShuffleNetParameters, _ image: Tensor, convention: ShuffleConvention)
        throws -> [Tensor]
    {
        func apply(_ op: Op, _ inputs: [Tensor]) throws -> Tensor {
            Reference.run(op, inputs: inputs, outputShape: try op.outputShape(for: inputs.map(\.shape)))
        }
        var x = try apply(.convolution(parameters.stem), [image])
        x = try apply(.maxPool(PoolWindow(kernelSize: 3, stride: 2, padding: 1)), [x])
        var outputs: [Tensor] = []
        for unit in parameters.units {
            var branch = try apply(.convolution(unit.pointwise1), [x])  // branch_main_1.0–2
            branch = try apply(.convolution(unit.depthwise), [branch])  // branch_main_1.3–4
            if unit.layout.groups > 1 {
                branch = Reference.channelShuffle(branch, groups: unit.layout.groups, convention: convention)
            }
            branch = try apply(.convolution(unit.pointwise2), [branch])  // branch_main_2
            if unit.layout.stride == 1 {
                x = try apply(.add(relu: true), [x, branch])
            } else {
                // torch.cat((branch_proj(x), F.relu(branch)), 1): the shortcut itself is not rectified.
                let shortcut = try apply(.averagePool(PoolWindow(kernelSize: 3, stride: 2, padding: 1)), [x])
                let rectified = Tensor(shape: branch.shape, storage: branch.storage.map { max($0, 0) })
                x = try apply(.concat(relu: false), [shortcut, rectified])
            }
            outputs.append(x)
        }
        let pooled = try apply(.globalAveragePool, [x])
        return outputs + [try apply(.linear(parameters.classifier), [pooled])]
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var groups: Int
        var width: Double
        var inputSize: Int
        var testDescription: String { "g=\(groups) \(width)× \(inputSize)²" }
    }

    @Test(arguments: [
        Case(groups: 3, width: 0.5, inputSize: 40), Case(groups: 8, width: 0.25, inputSize: 33),
        Case(groups: 2, width: 0.25, inputSize: 24), Case(groups: 4, width: 0.25, inputSize: 35),
        Case(groups: 1, width: 0.25, inputSize: 32),
    ])
    func graphComputesTheAuthorsNetwork(_ example: Case) throws {
        let configuration = try ShuffleNetConfiguration(
            groups: example.groups, width: example.width, inputSize: PlaneSize(example.inputSize), classes: 10)
        let parameters = try NetworkFixtures.seededParameters(configuration)
        let image = NetworkFixtures.seededImage(Shape(n: 1, c: 3, h: example.inputSize, w: example.inputSize))
        for convention in ShuffleConvention.allCases {
            let graph = ShuffleNetBuilder.graph(parameters, shuffle: convention)
            let outputs = try NetworkFixtures.runAll(graph, image)
            let expected = try Self.authorsForward(parameters, image, convention: convention)
            let combines = graph.nodes.indices.filter { graph.nodes[$0].name.hasSuffix(".combine") }
            #expect(combines.count == 16)
            for (unit, index) in combines.enumerated() {
                let difference = NetworkFixtures.relativeDifference(outputs[index], expected[unit])
                #expect(difference < 1e-5, "\(convention) \(graph.nodes[index].name): \(difference)")
            }
            let logits = try #require(outputs.last)
            #expect(NetworkFixtures.relativeDifference(logits, expected[16]) < 1e-5, "\(convention) logits")
        }
    }

    /// Guards against the comparison above passing vacuously: with more than one group the
    /// conventions really give different networks.
    @Test func conventionsDifferWhenGroupsSplit() throws {
        let configuration = try ShuffleNetConfiguration(groups: 3, width: 0.5, inputSize: 24, classes: 10)
        let parameters = try NetworkFixtures.seededParameters(configuration)
        let image = NetworkFixtures.seededImage(Shape(n: 1, c: 3, h: 24, w: 24))
        let paper = try #require(
            try NetworkFixtures.runAll(ShuffleNetBuilder.graph(parameters, shuffle: .paper), image).last)
        let authors = try #require(
            try NetworkFixtures.runAll(ShuffleNetBuilder.graph(parameters, shuffle: .authors), image).last)
        let disabled = try #require(
            try NetworkFixtures.runAll(ShuffleNetBuilder.graph(parameters, shuffle: .disabled), image).last)
        #expect(NetworkFixtures.relativeDifference(paper, authors) > 1e-3)
        #expect(NetworkFixtures.relativeDifference(authors, disabled) > 1e-3)
    }
}
