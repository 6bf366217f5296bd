import Foundation
import ShuffleEngine
import Testing
@testable import ShuffleModel

/// ONNX files exported by `torch.onnx.export` (scripts/make_onnx_fixtures.py): v1 g=3 and g=8,
/// v2 in torchvision's and the authors' layout, opsets 11 and 17, static and dynamic batch, with
/// and without the exporter's batch-norm folding; logits compared with ONNX Runtime's.
@Suite struct ONNXImportTests {
    struct Manifest: Decodable {
        struct Fixture: Decodable, CustomTestStringConvertible {
            var name: String
            var family: String
            var classes: Int
            var opset: Int
            var dynamic_batch: Bool
            var constant_folding: Bool
            var input_shape: [Int]
            var units: Int
            var shuffles: Int
            var model: String
            var input: String
            var expected: String
            var testDescription: String { name }
        }
        var tolerance: Double
        var fixtures: [Fixture]
    }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("onnx")

    static func manifest() throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
    }

    static let fixtures: [Manifest.Fixture] = (try? manifest().fixtures) ?? []

    static func load(_ fixture: Manifest.Fixture, shuffle: ShuffleConvention? = nil) throws -> (any ShuffleNetwork, Tensor) {
        let input = try Npy.readTensor(url: folder.appendingPathComponent(fixture.input))
        let model = try ModelLoader.load(
            ModelRequest(
                weights: folder.appendingPathComponent(fixture.model),
                inputSize: PlaneSize(height: input.shape.h, width: input.shape.w), shuffle: shuffle))
        return (model, input)
    }

    static func logits(_ graph: Graph, _ input: Tensor) throws -> [Float] {
        let executor = try Executor(graph: graph, input: input)
        executor.runToEnd()
        return try #require(executor.outputs.last.flatMap { $0 }).storage
    }

    @Test func fixturesCoverEveryFamilyBothBatchKindsAndTwoOpsets() throws {
        let manifest = try Self.manifest()
        #expect(manifest.tolerance == 1e-4)
        #expect(Set(manifest.fixtures.map(\.family)) == ["v1-g3", "v1-g8", "v2-torchvision", "v2-authors"])
        #expect(Set(manifest.fixtures.map(\.opset)) == [11, 17])
        #expect(Set(manifest.fixtures.map(\.dynamic_batch)) == [true, false])
        #expect(Set(manifest.fixtures.map(\.constant_folding)) == [true, false], "with and without BatchNormalization nodes")
    }

    @Test(arguments: fixtures)
    func logitsMatchONNXRuntime(_ fixture: Manifest.Fixture) throws {
        let (model, input) = try Self.load(fixture)
        #expect(model.classes == fixture.classes)
        let expected = try Npy.readTensor(url: Self.folder.appendingPathComponent(fixture.expected)).storage
        let logits = try Self.logits(model.graph, input)
        let error = GoldenTests.relativeError(logits, expected)
        #expect(logits.count == expected.count)
        #expect(error <= 1e-4, "\(fixture.name): relative error \(error) against ONNX Runtime")
    }

    @Test(arguments: fixtures)
    func aBatchOfTwoGivesTheSameLogitsTwice(_ fixture: Manifest.Fixture) throws {
        let (model, input) = try Self.load(fixture)
        let batch = Tensor(shape: Shape(n: 2, c: 3, h: input.shape.h, w: input.shape.w), storage: input.storage + input.storage)
        let logits = try Self.logits(try model.graph(batchSize: 2), batch)
        let single = try Self.logits(model.graph, input)
        #expect(Array(logits[..<single.count]) == single && Array(logits[single.count...]) == single)
    }

    @Test(arguments: fixtures)
    func summaryShowsOneShufflePerUnit(_ fixture: Manifest.Fixture) throws {
        let (model, _) = try Self.load(fixture)
        let steps = ModelSummary(model: model).steps
        let shuffles = steps.filter { $0.op == "shuffle" }
        let units = Set(model.graph.nodes.compactMap { node in node.place.unit.map { "\(node.place.section).\($0)" } })
        #expect(units.count == fixture.units)
        #expect(shuffles.count == fixture.shuffles, "\(shuffles.map(\.name))")
        for unit in units {
            let count = shuffles.filter { $0.name.hasPrefix(unit + ".") }.count
            // The authors' v2 has no shuffle in its stride-2 units (the first of each stage), as natively.
            let expected = fixture.family == "v2-authors" && unit.hasSuffix(".unit1") ? 0 : 1
            #expect(count == expected, "\(unit) has \(expected) shuffle step")
        }
        #expect(shuffles.allSatisfy { $0.source?.contains("Transpose") == true }, "each names the ONNX Transpose it came from")
        #expect(steps.first?.name == "stem.conv" && steps.last?.name == "head.fc")
        #expect(Set(model.graph.nodes.map(\.place.section)) == ["stem", "stage2", "stage3", "stage4", "head"])
    }

    @Test(arguments: fixtures)
    func recognitionSetsArchitectureGroupsAndPreprocessing(_ fixture: Manifest.Fixture) throws {
        let (model, _) = try Self.load(fixture)
        let onnx = try #require(model as? ONNXShuffleNet)
        let shuffles = model.graph.nodes.compactMap { node -> (Int, ShuffleConvention)? in
            if case .channelShuffle(let groups, let convention) = node.op { return (groups, convention) }
            return nil
        }
        switch fixture.family {
        case "v1-g3", "v1-g8":
            let groups = fixture.family == "v1-g3" ? 3 : 8
            #expect(onnx.recognition == .v1 && model.architecture == .v1 && model.shuffleGroups == groups)
            #expect(shuffles.allSatisfy { $0 == (groups, .authors) }, "the authors' reshape(b, c/g, g) shuffle")
            #expect(model.preparation.preprocessing == .authors)
        case "v2-torchvision":
            #expect(onnx.recognition == .v2Torchvision && model.architecture == .v2 && model.shuffleGroups == 2)
            #expect(shuffles.allSatisfy { $0 == (2, .paper) })
            #expect(model.preparation.preprocessing == .torchvision)
            #expect(model.graph.nodes.contains { $0.place.role == .split && $0.place.label == "pass" })
        default:
            #expect(onnx.recognition == .v2Authors && model.architecture == .v2 && model.shuffleGroups == 2)
            #expect(shuffles.allSatisfy { $0 == (2, .authors) }, "the even/odd split is the authors' g = 2 shuffle")
            #expect(model.preparation.preprocessing == .authors)
            let split = try #require(model.graph.nodes.first { $0.place.role == .shuffle })
            #expect(split.place.bands == .parts([BandPart(name: "even", channels: split.outputShape.c / 2),
                                                 BandPart(name: "odd", channels: split.outputShape.c / 2)]))
        }
        #expect(model.configurationDescription.contains("\(model.preparation.preprocessing.rawValue) preprocessing"))
        #expect(model.json.contains("\"format\":\"onnx\"") && model.json.contains("\"opset\":\(fixture.opset)"))
        #expect(model.weightsDescription == "\(fixture.model) (ONNX)")
    }

    @Test func disablingTheShuffleChangesTheLogitsAndKeepsTheSteps() throws {
        let fixture = try #require(Self.fixtures.first { $0.family == "v1-g3" })
        let (model, input) = try Self.load(fixture)
        let disabled = model.rebuilt(shuffle: .disabled)
        #expect(disabled.graph.nodes.map(\.name) == model.graph.nodes.map(\.name))
        #expect(try Self.logits(disabled.graph, input) != Self.logits(model.graph, input))
        let (requested, _) = try Self.load(fixture, shuffle: .paper)
        #expect(requested.shuffle == .paper)
    }

    @Test func optionsThatDescribeACheckpointAreRejected() throws {
        let fixture = try #require(Self.fixtures.first { $0.family == "v2-torchvision" })
        let url = Self.folder.appendingPathComponent(fixture.model)
        let size = PlaneSize(fixture.input_shape[2])
        #expect(throws: WeightsError.self) { try ModelLoader.load(ModelRequest(weights: url, architecture: .v1, inputSize: size)) }
        #expect(throws: ConfigurationError.self) { try ModelLoader.load(ModelRequest(weights: url, width: 1.0, inputSize: size)) }
    }

    @Test func aStaticInputOfAnotherSizeIsOneClearError() throws {
        let fixture = try #require(Self.fixtures.first { !$0.dynamic_batch })
        let url = Self.folder.appendingPathComponent(fixture.model)
        let side = fixture.input_shape[2]
        #expect {
            try ModelLoader.load(ModelRequest(weights: url, inputSize: 224))
        } throws: { error in
            "\(error)".contains("fixed in the file") && "\(error)".contains("--input-size \(side)")
        }
    }
}
