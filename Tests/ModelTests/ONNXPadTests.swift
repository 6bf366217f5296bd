import Foundation
import ShuffleEngine
import Testing
@testable import ShuffleModel

/// Exports before opset 11 write PyTorch's average pool with `count_include_pad` as a zero Pad
/// followed by an unpadded AveragePool; both spellings must give the same step and numbers.
@Suite struct ONNXPadTests {
    static func model(padded: Bool) -> Onnx_ModelProto {
        var model = ONNXTestModels.shuffleModel()
        var pool: [Onnx_NodeProto]
        if padded {
            var pad = ONNXTestModels.node("Pad", ["r4"], ["padded"], ints: ["pads": [0, 0, 1, 1, 0, 0, 1, 1]])
            var opset = Onnx_OperatorSetIdProto()
            opset.version = 9
            model.opsetImport = [opset]
            pad.name = "pad"
            pool = [pad, ONNXTestModels.node("AveragePool", ["padded"], ["a"], ints: ["kernel_shape": [3, 3], "strides": [2, 2]])]
        } else {
            var average = ONNXTestModels.node(
                "AveragePool", ["r4"], ["a"], ints: ["kernel_shape": [3, 3], "strides": [2, 2], "pads": [1, 1, 1, 1]])
            var counts = Onnx_AttributeProto()
            counts.name = "count_include_pad"
            counts.type = .int
            counts.i = 1
            average.attribute.append(counts)
            pool = [average]
        }
        model.graph.node.replaceSubrange(4...4, with: pool + [ONNXTestModels.node("GlobalAveragePool", ["a"], ["p"])])
        return model
    }

    static func logits(_ model: any ShuffleNetwork) throws -> [Float] {
        var generator = SplitMix64(seed: 5)
        let input = Tensor(shape: model.graph.inputShape, storage: (0..<model.graph.inputShape.count).map { _ in
            Float.random(in: -1..<1, using: &generator)
        })
        let executor = try Executor(graph: model.graph, input: input)
        executor.runToEnd()
        return try #require(executor.outputs.last.flatMap { $0 }).storage
    }

    @Test func padThenAveragePoolIsOneCountingAveragePool() throws {
        let load = { (padded: Bool) throws -> any ShuffleNetwork in
            let url = try ONNXTestModels.write(Self.model(padded: padded), named: "pool\(padded).onnx")
            return try ModelLoader.load(ModelRequest(weights: url, inputSize: 32))
        }
        let padded = try load(true), direct = try load(false)
        let pool = try #require(padded.graph.nodes.first { $0.op.kind == "avgpool" })
        #expect(pool.op == .averagePool(PoolWindow(kernelSize: 3, stride: 2, padding: 1)))
        #expect(padded.graph.nodes.map(\.op) == direct.graph.nodes.map(\.op))
        #expect(try Self.logits(padded) == Self.logits(direct))
    }

    /// `count_include_pad = 0` (ONNX's default) with padding: the divisor leaves the padded cells
    /// out, so the step differs from the counting pool and so do its numbers.
    @Test func averagePoolWithoutPaddedCellsDividesByRealCells() throws {
        var model = Self.model(padded: false)
        model.graph.node[4].attribute.removeAll { $0.name == "count_include_pad" }
        let url = try ONNXTestModels.write(model, named: "pool-uncounted.onnx")
        let uncounted = try ModelLoader.load(ModelRequest(weights: url, inputSize: 32))
        let pool = try #require(uncounted.graph.nodes.first { $0.op.kind == "avgpool" })
        #expect(pool.op == .averagePool(PoolWindow(kernelSize: 3, stride: 2, padding: 1, countsPadding: false)))
        let counted = try ModelLoader.load(
            ModelRequest(weights: try ONNXTestModels.write(Self.model(padded: false), named: "pool-counted.onnx"), inputSize: 32))
        #expect(try Self.logits(uncounted) != Self.logits(counted))
    }

    /// The v1 fixture with every shortcut pool's `count_include_pad` set to 0
    /// (`scripts/make_onnx_fixtures.py --uncounted-pool`) matches ONNX Runtime's logits.
    @Test func uncountedPaddingMatchesOnnxRuntime() throws {
        let folder = ONNXImportTests.folder
        let input = try Npy.readTensor(url: folder.appendingPathComponent("v1_g3_op11_static.input.npy"))
        let model = try ModelLoader.load(
            ModelRequest(
                weights: folder.appendingPathComponent("v1_g3_uncounted_pool.onnx"),
                inputSize: PlaneSize(height: input.shape.h, width: input.shape.w)))
        let pools = model.graph.nodes.filter { if case .averagePool(let window) = $0.op { !window.countsPadding } else { false } }
        #expect(pools.count == 3, "the three stride-2 shortcuts")
        let logits = try Executor(graph: model.graph, input: input).runToEnd().storage
        let expected = try Npy.readTensor(url: folder.appendingPathComponent("v1_g3_uncounted_pool.expected.npy")).storage
        let error = GoldenTests.relativeError(logits, expected)
        #expect(error <= 1e-4, "relative error \(error) against ONNX Runtime")
        // The fast path computes the same numbers as inspect mode.
        let fast = try ForwardPass(graph: model.graph, threads: 2).run(input)
        #expect(fast.storage == logits)
    }

    @Test func aPadBeforeAnythingElseIsNamed() throws {
        var model = Self.model(padded: true)
        model.graph.node[5].opType = "MaxPool"
        let url = try ONNXTestModels.write(model, named: "padmax.onnx")
        #expect {
            try ModelLoader.load(ModelRequest(weights: url, inputSize: 32))
        } throws: { error in
            "\(error)".contains("MaxPool") && "\(error)".contains("Pad")
        }
    }
}
