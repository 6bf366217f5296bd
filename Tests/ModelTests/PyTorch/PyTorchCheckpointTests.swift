import Foundation
import ShuffleEngine
import Testing

@testable import ShuffleModel

/// Every fixture checkpoint, in either format, holds exactly its safetensors copy's tensors, bit for bit.
@Suite struct PyTorchCheckpointTests {
    @Test func manifestCoversEveryRequiredCase() {
        let all = PyTorchFixtures.all
        #expect(all.count >= 12)
        for architecture in ["v1", "v2"] {
            let fixtures = all.filter { $0.architecture == architecture }
            #expect(Set(fixtures.map(\.format)) == ["zip", "legacy"], "\(architecture) in both formats")
            #expect(fixtures.contains { $0.wrapper != nil } && fixtures.contains { $0.wrapper == nil })
            #expect(fixtures.contains { $0.prefix == "module." } && fixtures.contains { $0.prefix.isEmpty })
            #expect(Set(fixtures.map(\.dtype)).isSuperset(of: ["float32", "float16", "bfloat16"]))
            #expect(fixtures.contains { $0.shared } && fixtures.contains { $0.strided })
            #expect(fixtures.contains { $0.untyped })
        }
        #expect(all.contains { $0.deflated } && all.contains { $0.optimizer } && all.contains { $0.parameters })
        #expect(Set(all.filter { $0.protocol == 4 }.map(\.format)) == ["zip", "legacy"], "pickle protocol 4 in both formats")
    }

    @Test(arguments: PyTorchFixtures.all)
    func tensorsEqualTheSafetensorsCopyBitForBit(_ fixture: PyTorchFixtures.Fixture) throws {
        let archive = try TensorArchives.open(fixture.url)
        let checkpoint = try #require(archive as? PyTorchCheckpoint)
        #expect(checkpoint.format.rawValue == (fixture.format == "zip" ? "PyTorch zip" : "legacy PyTorch"))
        let copy = try SafeTensorsFile(contentsOf: fixture.copyURL)
        #expect(checkpoint.shapes == copy.shapes)
        #expect(checkpoint.shapes.count == fixture.keys)
        #expect(checkpoint.keys.allSatisfy { $0.hasPrefix(fixture.prefix) })
        for key in checkpoint.keys {
            let stored = try checkpoint.storedBytes(key)
            let expected = try PyTorchFixtures.safetensorsBytes(fixture.copyURL, key: key)
            #expect(stored.dtype.rawValue == expected.dtype, "\(key)")
            #expect(stored.shape == expected.shape, "\(key)")
            #expect(stored.bytes == expected.bytes, "\(fixture.name) \(key) bytes")
            if stored.dtype.decodesToFloat {
                let values = try checkpoint.floats(key).values.map(\.bitPattern)
                #expect(values == (try copy.floats(key)).values.map(\.bitPattern), "\(fixture.name) \(key) values")
            } else {
                #expect(throws: WeightsError.self) { try checkpoint.floats(key) }
            }
        }
    }

    /// The fixtures' shared storages and strided tensors really are what the tests above read through.
    @Test func sharedAndStridedTensorsAreExercised() throws {
        for fixture in PyTorchFixtures.all where fixture.shared || fixture.strided {
            let checkpoint = try PyTorchCheckpoint(contentsOf: fixture.url)
            let references = Array(checkpoint.tensors.values)
            if fixture.shared {
                let offsets = references.filter { $0.offset > 0 }
                #expect(!offsets.isEmpty, "\(fixture.name): a tensor at an offset in its storage")
                let storages = Dictionary(grouping: references, by: \.storage.key)
                #expect(storages.values.contains { $0.count > 1 }, "\(fixture.name): a storage shared by two tensors")
            }
            if fixture.strided {
                let strided = references.filter { reference in
                    var expected = 1
                    for (size, stride) in zip(reference.shape, reference.strides).reversed() {
                        if size > 1, stride != expected { return true }
                        expected *= size
                    }
                    return false
                }
                #expect(!strided.isEmpty, "\(fixture.name): non-contiguous tensors")
            }
        }
    }

    /// Every ShuffleNet v1 fixture loads to the same weights as its golden safetensors file and
    /// gives PyTorch's golden logits.
    @Test(arguments: PyTorchFixtures.v1)
    func v1CheckpointsGiveTheGoldenOutputs(_ fixture: PyTorchFixtures.Fixture) throws {
        let manifest = try GoldenTests.manifest()
        let golden = try #require(manifest.fixtures.first { $0.name == fixture.golden })
        let goldenWeights = GoldenTests.folder.appendingPathComponent(golden.weights)
        let weights = try ShuffleNetWeights.load(contentsOf: fixture.url)
        #expect(weights.tensors == (try ShuffleNetWeights.load(contentsOf: goldenWeights)).tensors)

        let input = try Npy.readTensor(url: GoldenTests.folder.appendingPathComponent(golden.input))
        let size = PlaneSize(height: input.shape.h, width: input.shape.w)
        let model = try ShuffleNetModel.load(weights: fixture.url, inputSize: size)
        let reference = try ShuffleNetModel.load(weights: goldenWeights, inputSize: size)
        #expect(model.parameters.stem == reference.parameters.stem)
        #expect(model.parameters.classifier == reference.parameters.classifier)
        #expect(zip(model.parameters.units, reference.parameters.units).allSatisfy {
            $0.pointwise1 == $1.pointwise1 && $0.depthwise == $1.depthwise && $0.pointwise2 == $1.pointwise2
        })
        #expect(model.isTrained && model.weightsDescription == fixture.file + " (trained)")

        let logits = try Executor(graph: model.graph, input: input).runToEnd()
        let expectation = try #require(golden.expected.first { $0.shuffle == "authors" })
        let expected = try SafeTensorsFile(contentsOf: GoldenTests.folder.appendingPathComponent(expectation.file))
            .floats("logits")
        let error = GoldenTests.relativeError(Array(logits.storage.prefix(golden.classes)), expected.values)
        #expect(error <= manifest.tolerance.value, "\(fixture.name): logits relative error \(error)")
    }

    @Test func formatIsToldFromTheBytesNotTheName() throws {
        let directory = try ModelScratchDirectory()
        let fixture = try #require(PyTorchFixtures.all.first { $0.format == "legacy" && $0.architecture == "v1" })
        let misnamed = try directory.file("weights.safetensors", try Data(contentsOf: fixture.url))
        #expect(try TensorArchives.open(misnamed) is PyTorchCheckpoint)
        let safetensors = try directory.file("weights.pth", try Data(contentsOf: fixture.copyURL))
        #expect(try TensorArchives.open(safetensors) is SafeTensorsFile)
        _ = try ShuffleNetModel.load(weights: misnamed)
    }

    @Test func refusesFilesOfNoKnownFormat() throws {
        let directory = try ModelScratchDirectory()
        let png = try directory.file("photo.pth", Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]))
        let empty = try directory.file("empty.pth", Data())
        let pickle = try directory.file("list.pkl", Data([0x80, 0x02, 0x5D, 0x2E]))  // a pickled empty list
        let noise = try directory.file("noise.pt", Data((0..<64).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }))
        for (url, detail) in [(noise, "starts with 0b 30 55 7a"), (png, "it is a PNG image"), (empty, "empty"), (pickle, "not one written by torch.save")] {
            let error = CheckpointLoadingTests.weightsError { _ = try TensorArchives.open(url) }
            guard case .unknownFormat(let file, let message)? = error else {
                Issue.record("\(url.lastPathComponent): \(String(describing: error))")
                continue
            }
            #expect(file == url.path && message.contains(detail))
        }
    }

    @Test func wrapperEntriesAreSkippedUnread() throws {
        // The optimizer's momentum buffers are tensors too, but not part of the state dict.
        let fixture = try #require(PyTorchFixtures.all.first { $0.optimizer && $0.format == "zip" })
        let checkpoint = try PyTorchCheckpoint(contentsOf: fixture.url)
        #expect(checkpoint.keys.count == fixture.keys)
        let used = Set(checkpoint.tensors.values.map(\.storage.key))
        #expect(Set(checkpoint.storages.keys) == used)
    }
}
