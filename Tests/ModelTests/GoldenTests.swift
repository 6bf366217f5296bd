import Foundation
import ShuffleEngine
import Testing
@testable import ShuffleModel

/// End-to-end checks against PyTorch: small checkpoints in the authors' layout (F32 with the
/// `module.` prefix, F16, BF16), run through the engine under both shuffle conventions, compared
/// with PyTorch's float64 outputs for `first_conv`, `maxpool`, every `features.N` and the logits.
/// The fixtures and their generator are described in Fixtures/README.md.
@Suite struct GoldenTests {
    struct Manifest: Decodable {
        struct Tolerance: Decodable { var value: Double }
        struct Expected: Decodable { var file: String; var shuffle: String }
        struct Fixture: Decodable, CustomTestStringConvertible {
            var name: String
            var weights: String
            var groups: Int
            var widths: [Int]
            var classes: Int
            var input: String
            var input_shape: [Int]
            var expected: [Expected]
            var keys: [String]
            var shapes: [String: [Int]]
            var testDescription: String { name }
        }
        var tolerance: Tolerance
        var fixtures: [Fixture]
    }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func manifest() throws -> Manifest {
        let data = try Data(contentsOf: folder.appendingPathComponent("manifest.json"))
        return try JSONDecoder().decode(Manifest.self, from: data)
    }

    static let fixtures: [Manifest.Fixture] = (try? manifest().fixtures) ?? []

    @Test func manifestListsThreeFixtures() throws {
        let manifest = try Self.manifest()
        #expect(manifest.fixtures.map(\.name) == ["g3_reduced", "g8_reduced_f16", "g8_reduced_bf16"])
        #expect(manifest.tolerance.value == 1e-4)
    }

    /// max |actual − expected| / max |expected|.
    static func relativeError(_ actual: [Float], _ expected: [Float]) -> Double {
        var worst = 0.0, scale = 0.0
        for (a, e) in zip(actual, expected) {
            worst = max(worst, Double(abs(a - e)))
            scale = max(scale, Double(abs(e)))
        }
        return worst / max(scale, 1e-30)
    }

    @Test(arguments: fixtures)
    func everyCheckpointStepMatchesPyTorch(_ fixture: Manifest.Fixture) throws {
        let input = try Npy.readTensor(url: Self.folder.appendingPathComponent(fixture.input))
        #expect(input.shape.dims == fixture.input_shape)
        let tolerance = try Self.manifest().tolerance.value
        for expectation in fixture.expected {
            let convention = try #require(ShuffleConvention(optionName: expectation.shuffle))
            let model = try ShuffleNetModel.load(
                weights: Self.folder.appendingPathComponent(fixture.weights), groups: fixture.groups,
                inputSize: PlaneSize(height: input.shape.h, width: input.shape.w), classes: fixture.classes,
                shuffle: convention)
            #expect(model.configuration.widths == fixture.widths)
            let executor = try Executor(graph: model.graph, input: input)
            executor.runToEnd()
            let reference = try SafeTensorsFile(contentsOf: Self.folder.appendingPathComponent(expectation.file))
            var compared: [String] = []
            for (index, node) in model.graph.nodes.enumerated() {
                guard let source = node.source else { continue }
                let key = source == "classifier" ? "logits" : source
                let expected = try reference.floats(key)
                let output = try #require(executor.outputs[index])
                #expect(output.storage.count == expected.values.count, "\(key) element count")
                let error = Self.relativeError(output.storage, expected.values)
                #expect(
                    error <= tolerance,
                    "\(fixture.name) \(expectation.shuffle) \(key) (\(node.name)): relative error \(error)")
                compared.append(key)
            }
            #expect(compared == fixture.keys, "every expected key has a step with that source")
        }
    }

    /// The two conventions must give different networks, or the test above could not tell them apart.
    @Test func conventionsDifferOnTheFixture() throws {
        let fixture = try #require(Self.fixtures.first)
        let input = try Npy.readTensor(url: Self.folder.appendingPathComponent(fixture.input))
        let size = PlaneSize(height: input.shape.h, width: input.shape.w)
        let url = Self.folder.appendingPathComponent(fixture.weights)
        let authors = try ShuffleNetModel.load(weights: url, inputSize: size, shuffle: .authors)
        let paper = authors.rebuilt(shuffle: .paper)
        let a = try Executor(graph: authors.graph, input: input).runToEnd()
        let p = try Executor(graph: paper.graph, input: input).runToEnd()
        #expect(Self.relativeError(a.storage, p.storage) > 0.1)
    }
}
