import Foundation
import ShuffleEngine
import Testing

@testable import ShuffleModel

/// The v2 PyTorch fixtures (torchvision's layout, both formats) load through the model loader
/// exactly as their safetensors copies do: same architecture, same folded network, same logits.
@Suite struct PyTorchV2LoadingTests {
    static let fixtures = PyTorchFixtures.all.filter { $0.architecture == "v2" }

    @Test(arguments: fixtures)
    func loadsLikeItsSafetensorsCopy(_ fixture: PyTorchFixtures.Fixture) throws {
        let request = ModelRequest(weights: fixture.url, inputSize: 48)
        let model = try ModelLoader.load(request)
        var copyRequest = request
        copyRequest.weights = fixture.copyURL
        let copy = try ModelLoader.load(copyRequest)
        #expect(model.architecture == .v2 && model.name == copy.name, "\(fixture.name): \(model.name)")
        #expect(model.isTrained && model.weightsDescription == fixture.file + " (trained)")
        let input = Tensor(shape: Shape(n: 1, c: 3, h: 48, w: 48), storage: (0..<(3 * 48 * 48)).map { Float($0 % 31) / 31 - 0.5 })
        let logits = try Executor(graph: model.graph, input: input).runToEnd()
        let expected = try Executor(graph: copy.graph, input: input).runToEnd()
        #expect(logits.storage == expected.storage, "\(fixture.name)")
    }
}
