import Foundation
import Testing

@testable import ShuffleModel

/// `CheckpointConversion`: every tensor copied with its key and type, metadata saying where it came from.
@Suite struct ConvertTests {
    @Test(arguments: PyTorchFixtures.all)
    func convertedFileEqualsTheSafetensorsCopy(_ fixture: PyTorchFixtures.Fixture) throws {
        let directory = try ModelScratchDirectory()
        let output = directory.url.appendingPathComponent("out.safetensors")
        let (count, metadata) = try CheckpointConversion.convert(fixture.url, to: output)
        #expect(count == fixture.keys)
        let converted = try SafeTensorsFile(contentsOf: output)
        let copy = try SafeTensorsFile(contentsOf: fixture.copyURL)
        #expect(converted.entries.mapValues { [$0.dtype.rawValue] + $0.shape.map(String.init) }
            == copy.entries.mapValues { [$0.dtype.rawValue] + $0.shape.map(String.init) })
        for key in converted.keys {
            #expect(try PyTorchFixtures.safetensorsBytes(output, key: key).bytes == PyTorchFixtures.safetensorsBytes(fixture.copyURL, key: key).bytes, "\(key)")
        }
        #expect(converted.metadata == metadata)
        #expect(metadata[CheckpointConversion.sourceKey] == fixture.file)
        #expect(metadata[CheckpointConversion.sourceFormatKey] == (fixture.format == "zip" ? "PyTorch zip" : "legacy PyTorch"))
        #expect(metadata[ShuffleNetWeights.originMetadataKey]?.hasPrefix("trained") == true)
        if fixture.architecture == "v1" {
            let model = try ShuffleNetModel.load(weights: output)
            #expect(model.isTrained)
            #expect(model.parameters.classifier == (try ShuffleNetModel.load(weights: fixture.url)).parameters.classifier)
        }
    }

    @Test func seededWeightsStayMarkedUntrained() throws {
        let directory = try ModelScratchDirectory()
        let seeded = directory.url.appendingPathComponent("seeded.safetensors")
        try ShuffleNetWeights.seeded(configuration: try ShuffleNetConfiguration(groups: 3, width: 0.25, classes: 10)).write(to: seeded)
        let output = directory.url.appendingPathComponent("copy.safetensors")
        let (_, metadata) = try CheckpointConversion.convert(seeded, to: output)
        #expect(metadata[ShuffleNetWeights.originMetadataKey] == ShuffleNetWeights.seededMarker)
        #expect(!(try ShuffleNetModel.load(weights: output)).isTrained)
    }

    @Test func refusesToOverwriteItsInputAndLeavesNoPartialFile() throws {
        let directory = try ModelScratchDirectory()
        let input = try directory.file("in.pth", try Data(contentsOf: PyTorchFixtures.all[0].url))
        let error = CheckpointLoadingTests.weightsError { try CheckpointConversion.convert(input, to: input) }
        #expect(error == .writeFailed(file: input.path, reason: "it is the input file"))
        let broken = try directory.file("broken.pth", Data("PK\u{3}\u{4}broken".utf8))
        let output = directory.url.appendingPathComponent("never.safetensors")
        #expect(throws: WeightsError.self) { try CheckpointConversion.convert(broken, to: output) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted() == ["broken.pth", "in.pth"])
    }
}
