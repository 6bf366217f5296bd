import Foundation
import ShuffleEngine
import Testing
@testable import ShuffleModel

/// Broken and hostile ONNX files: each gets one clear error naming what is wrong, never a crash
/// or a huge allocation.
@Suite struct ONNXHostileFileTests {
    static func load(_ url: URL, size: PlaneSize = 32) throws -> any ShuffleNetwork {
        try ModelLoader.load(ModelRequest(weights: url, inputSize: size))
    }

    /// The error's one line, checked to name the file and to hold every `fragment`.
    static func expectError(_ url: URL, _ fragments: [String], size: PlaneSize = 32) {
        do {
            _ = try load(url, size: size)
            Issue.record("\(url.lastPathComponent) loaded")
        } catch {
            let message = "\(error)"
            #expect(!message.contains("\n"), "one line: \(message)")
            #expect(message.contains(url.lastPathComponent), "names the file: \(message)")
            for fragment in fragments { #expect(message.contains(fragment), "\(message) mentions \(fragment)") }
        }
    }

    @Test func theTinyModelLoadsAndItsShuffleIsRecognised() throws {
        let url = try ONNXTestModels.write(ONNXTestModels.shuffleModel(), named: "tiny.onnx")
        let model = try Self.load(url)
        #expect(model.graph.nodes.map(\.op.kind) == ["conv1x1", "shuffle", "gap", "linear"])
        guard case .channelShuffle(let groups, let convention) = model.graph.nodes[1].op else {
            Issue.record("no shuffle")
            return
        }
        // view (3, 2) then transpose is the paper's g = 3 (equally the authors' g = 2; the smaller g is read).
        #expect(Reference.shuffleSource(of: 1, channels: 6, groups: groups, convention: convention) == 2)
        #expect(groups == 2 && convention == .authors)
    }

    @Test func aTruncatedFileIsNotReadable() throws {
        let bytes = try ONNXTestModels.shuffleModel().serializedBytes() as Data
        for cut in [3, bytes.count / 2, bytes.count - 1] {
            let url = try ONNXTestModels.write(bytes.prefix(cut), named: "truncated\(cut).onnx")
            Self.expectError(url, ["not a readable ONNX model"])
        }
    }

    @Test func aFieldOfTheWrongWireTypeIsNotReadable() throws {
        var bytes = try ONNXTestModels.shuffleModel().serializedBytes() as Data
        // Field 7 (graph) as a varint instead of a length-delimited message.
        let graphTag = try #require(bytes.firstIndex(of: 0x3a))
        bytes[graphTag] = 0x38
        let url = try ONNXTestModels.write(bytes, named: "wiretype.onnx")
        Self.expectError(url, ["ONNX"])
    }

    @Test func anAttributeOfTheWrongTypeIsNamed() throws {
        var model = ONNXTestModels.shuffleModel()
        model.graph.node[2].attribute[0].type = .floats
        model.graph.node[2].attribute[0].floats = [0, 2, 1, 3, 4]
        let url = try ONNXTestModels.write(model, named: "attribute.onnx")
        Self.expectError(url, ["Transpose", "perm", "INTS"])
    }

    @Test func aReshapeToAnImpossibleShapeIsNamed() throws {
        let url = try ONNXTestModels.write(ONNXTestModels.shuffleModel(reshapeTo: [1, 7, 32, 32]), named: "reshape.onnx")
        Self.expectError(url, ["Reshape", "cannot reshape", "[1, 7, 32, 32]"])
    }

    @Test func aCycleIsNamed() throws {
        var model = ONNXTestModels.shuffleModel()
        model.graph.node[1].input[0] = "r4"  // Reshape reads the output of the Reshape after it.
        let url = try ONNXTestModels.write(model, named: "cycle.onnx")
        Self.expectError(url, ["cycle"])
    }

    @Test func aHugeDeclaredTensorIsRejectedBeforeAllocation() throws {
        var model = ONNXTestModels.shuffleModel()
        model.graph.initializer[0].dims = [1 << 20, 1 << 20, 1, 1]
        let url = try ONNXTestModels.write(model, named: "huge.onnx")
        Self.expectError(url, ["'w'", "more than"])
        var short = ONNXTestModels.shuffleModel()
        short.graph.initializer[0].dims = [600, 3, 1, 1]
        Self.expectError(try ONNXTestModels.write(short, named: "short.onnx"), ["'w'", "1800 values", "18"])
        var input = ONNXTestModels.shuffleModel()
        input.graph.input = [ONNXTestModels.value("x", dims: [1, 3, 1 << 30, 1 << 30])]
        Self.expectError(try ONNXTestModels.write(input, named: "hugeinput.onnx"), ["fixed in the file"])
    }

    @Test func externalDataIsRejectedWithAHowTo() throws {
        var model = ONNXTestModels.shuffleModel()
        model.graph.initializer[0].dataLocation = .external
        let url = try ONNXTestModels.write(model, named: "external.onnx")
        Self.expectError(url, ["'w'", "external", "save_as_external_data=False"])
    }

    @Test func anUnknownOpIsNamedWithItsNode() throws {
        var model = ONNXTestModels.shuffleModel()
        model.graph.node[4].opType = "Sigmoid"
        let url = try ONNXTestModels.write(model, named: "sigmoid.onnx")
        Self.expectError(url, ["unsupported Sigmoid node", "globalaveragepool_p"])
    }

    @Test func aPermutationThatIsNoShuffleIsNamed() throws {
        var model = ONNXTestModels.shuffleModel()
        // Transposing height and width is no channel permutation.
        model.graph.node[2].attribute[0].ints = [0, 1, 2, 4, 3]
        let url = try ONNXTestModels.write(model, named: "notshuffle.onnx")
        Self.expectError(url, ["neither a channel shuffle nor a channel split"])
    }

    @Test func aGraphWithoutAShuffleIsNoShuffleNet() throws {
        var model = ONNXTestModels.shuffleModel()
        model.graph.node[2].attribute[0].ints = [0, 1, 2, 3, 4]
        let url = try ONNXTestModels.write(model, named: "noshuffle.onnx")
        Self.expectError(url, ["no channel shuffle"])
    }


    @Test func onnxIsRecognisedFromItsBytes() throws {
        let bytes = try ONNXTestModels.shuffleModel().serializedBytes() as Data
        #expect(ONNXImporter.looksLikeONNX(bytes))
        // A safetensors file whose 8-byte header length starts 0x08 0x01 (a 264-byte header).
        #expect(!ONNXImporter.looksLikeONNX(Data([0x08, 0x01, 0, 0, 0, 0, 0, 0, 0x7b])))
        #expect(!ONNXImporter.looksLikeONNX(Data("PK\u{3}\u{4}".utf8)))
        // Named .weights, the bytes still say ONNX.
        let url = try ONNXTestModels.write(bytes, named: "tiny.weights")
        #expect(try Self.load(url) is ONNXShuffleNet)
    }

    @Test func aGatherOfHugeIndicesIsRejectedBeforeAllocation() throws {
        var model = ONNXTestModels.shuffleModel()
        model.graph.initializer.append(ONNXTestModels.integers("many", [Int](repeating: 0, count: 1 << 17)))
        model.graph.node[4] = ONNXTestModels.node("Gather", ["r4", "many"], ["g"], ints: ["axis": [2]])
        model.graph.node.insert(ONNXTestModels.node("GlobalAveragePool", ["g"], ["p"]), at: 5)
        let url = try ONNXTestModels.write(model, named: "gather.onnx")
        Self.expectError(url, ["Gather", "more than"])
    }

    @Test func randomBytesNamedONNXAreNotReadable() throws {
        var generator = SplitMix64(seed: 11)
        for trial in 0..<20 {
            let bytes = Data((0..<(64 + trial * 37)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let url = try ONNXTestModels.write(bytes, named: "random\(trial).onnx")
            #expect(throws: (any Error).self) { try Self.load(url) }
        }
    }
}
