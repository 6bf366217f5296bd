import Foundation
import ShuffleEngine
import Testing
@testable import ShuffleModel

/// End-to-end checks of ShuffleNet v2 against PyTorch: small checkpoints in torchvision's layout
/// (made with torchvision's own class) and in the authors' layout, in F32, F16 and BF16, with and
/// without the `module.` prefix, odd and non-square inputs; every checkpoint module's float64
/// output compared with the step whose `source` names it. Made by `scripts/make_v2_fixtures.py`.
@Suite struct V2GoldenTests {
    struct Manifest: Decodable {
        struct Fixture: Decodable, CustomTestStringConvertible {
            var name: String
            var layout: String
            var widths: [Int]
            var classes: Int
            var dtype: String
            var prefix: String
            var input_shape: [Int]
            var weights: String
            var input: String
            var expected: String
            var modules: [String]
            var params: Int
            var testDescription: String { name }
        }
        var tolerance: Double
        var fixtures: [Fixture]
    }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("v2")

    static func manifest() throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
    }

    static let fixtures: [Manifest.Fixture] = (try? manifest().fixtures) ?? []

    @Test func fixturesCoverBothLayoutsEveryDtypeAndThePrefix() throws {
        let manifest = try Self.manifest()
        #expect(manifest.tolerance == 1e-4)
        #expect(Set(manifest.fixtures.map(\.layout)) == ["torchvision", "authors"])
        #expect(Set(manifest.fixtures.map(\.dtype)) == ["float32", "float16", "bfloat16"])
        #expect(manifest.fixtures.contains { $0.prefix == "module." } && manifest.fixtures.contains { $0.prefix.isEmpty })
    }

    static func load(_ fixture: Manifest.Fixture) throws -> (any ShuffleNetwork, Tensor) {
        let input = try Npy.readTensor(url: folder.appendingPathComponent(fixture.input))
        #expect(input.shape.dims == fixture.input_shape)
        let model = try ModelLoader.load(
            ModelRequest(
                weights: folder.appendingPathComponent(fixture.weights),
                inputSize: PlaneSize(height: input.shape.h, width: input.shape.w)))
        return (model, input)
    }

    @Test(arguments: fixtures)
    func everyCheckpointModuleMatchesPyTorch(_ fixture: Manifest.Fixture) throws {
        let (model, input) = try Self.load(fixture)
        let v2 = try #require(model as? ShuffleNetV2Model)
        #expect(v2.configuration.layout.rawValue == fixture.layout)
        #expect(v2.configuration.widths == fixture.widths)
        #expect(model.classes == fixture.classes)
        #expect(model.graph.totalParameters == fixture.params, "PyTorch's parameter count")
        let executor = try Executor(graph: model.graph, input: input)
        executor.runToEnd()
        let reference = try SafeTensorsFile(contentsOf: Self.folder.appendingPathComponent(fixture.expected))
        var compared: [String] = []
        for (index, node) in model.graph.nodes.enumerated() {
            guard let source = node.source else { continue }
            let expected = try reference.floats(source)
            let output = try #require(executor.outputs[index])
            #expect(output.shape.dims.reduce(1, *) == expected.values.count, "\(source) element count")
            let error = GoldenTests.relativeError(output.storage, expected.values)
            #expect(error <= 1e-4, "\(fixture.name) \(source) (\(node.name)): relative error \(error)")
            compared.append(source)
        }
        #expect(compared == fixture.modules, "every checkpoint module has exactly one step with its source")
    }

    /// The fast path computes the same logits as inspect mode, bit for bit, for both layouts.
    @Test(arguments: fixtures)
    func fastPathMatchesInspectMode(_ fixture: Manifest.Fixture) throws {
        let (model, input) = try Self.load(fixture)
        let stepwise = try Executor(graph: model.graph, input: input, threads: 2).runToEnd()
        let pass = try ForwardPass(graph: model.graph, threads: 2)
        let fast = input.storage.withUnsafeBufferPointer { pass.run(input: $0.baseAddress!) }
        #expect(Array(fast) == stepwise.storage)
    }

    /// Without the shuffle (or the authors' even/odd split) the trained function changes, so the
    /// comparison above could tell a missing shuffle apart.
    @Test(arguments: fixtures)
    func theShuffleMatters(_ fixture: Manifest.Fixture) throws {
        let (model, input) = try Self.load(fixture)
        let with = try Executor(graph: model.graph, input: input).runToEnd()
        let without = try Executor(graph: model.rebuilt(shuffle: .disabled).graph, input: input).runToEnd()
        #expect(GoldenTests.relativeError(without.storage, with.storage) > 0.01)
    }
}
