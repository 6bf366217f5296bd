import Foundation
import ShuffleEngine
import Testing

@testable import ShuffleModel

/// NaN and infinity: refused in inputs as in weights, and a pass that overflows names the first
/// step whose output is not finite instead of printing `nan` probabilities.
@Suite struct NonFiniteTests {
    @Test func firstNonFiniteNamesThePositionAndCount() {
        var tensor = Tensor(zeros: Shape(n: 1, c: 2, h: 3, w: 4))
        #expect(tensor.firstNonFinite() == nil)
        tensor[0, 1, 2, 1] = -.infinity
        tensor[0, 1, 2, 3] = .nan
        let found = tensor.firstNonFinite()
        #expect(found == NonFiniteValue(position: [0, 1, 2, 1], value: -.infinity, count: 2))
        #expect(found?.description == "-inf at [0, 1, 2, 1] (2 non-finite values)")
    }

    @Test func npyInputsWithNaNAreRefused() throws {
        var values = [Float](repeating: 0.5, count: 3 * 20 * 20)
        values[20 * 20 + 5] = .nan
        let bytes = try Npy.encode(NpyArray(shape: [1, 3, 20, 20], values: values))
        // NaN is not equal to itself, so the error is compared by its parts and its message.
        do {
            _ = try InputLoader.load(bytes: bytes, file: "nan.npy", preprocessing: .authors, size: 224)
            Issue.record("a NaN input was accepted")
        } catch {
            guard case .nonFiniteInput(let file, let value) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(file == "nan.npy" && value.position == [0, 1, 0, 5] && value.value.isNaN && value.count == 1)
            #expect(error.description == "nan.npy: the input holds NaN at [0, 1, 0, 5]; inputs must be finite")
        }
    }

    /// Finite weights of 3e38 overflow: the pass fails naming the first step that overflowed.
    @Test(arguments: [("first_conv.0.weight", "stem.conv"), ("classifier.0.weight", "head.fc")])
    func overflowingWeightsNameTheFirstNonFiniteStep(key: String, step: String) throws {
        let configuration = try ShuffleNetConfiguration(groups: 3, width: 0.5)
        let seeded = ShuffleNetWeights.seeded(configuration: configuration)
        var tensors: [String: ParameterTensor] = [:]
        for name in CheckpointLayout.keys {
            var tensor = try seeded.tensor(name)
            if name == key { tensor.values = tensor.values.map { $0 >= 0 ? 3e38 : -3e38 } }
            tensors[name] = tensor
        }
        let directory = try ModelScratchDirectory()
        let url = directory.url.appendingPathComponent("huge.safetensors")
        try ShuffleNetWeights(origin: "huge", tensors: tensors).write(to: url)
        let result = try CommandLineTool.run(["infer", "--weights", url.path, "--input-size", "64"])
        #expect(result.status == 1)
        #expect(result.output.isEmpty)
        #expect(result.error.hasPrefix(
            "shufflescope infer: the pass produced non-finite values: \(step) is the first step whose output holds one ("),
            "\(result.error)")
        #expect(result.error.hasSuffix("); the logits are not finite\n"))
    }
}
