import Foundation
import ShuffleEngine
import Testing
@testable import ShuffleModel

/// ShuffleNet v2's configurations, counts, graph structure, loading and errors.
@Suite struct V2ModelTests {
    /// Parameters and multiply-adds (convolutions + FC at 224²) of REFERENCE.md for all eight
    /// released configurations.
    static let released: [(ShuffleNetV2Layout, Double, params: Int, macs: Int)] = [
        (.torchvision, 0.5, 1_366_792, 40_476_448), (.torchvision, 1.0, 2_278_604, 144_907_992),
        (.torchvision, 1.5, 3_503_624, 295_759_392), (.torchvision, 2.0, 7_393_996, 583_253_464),
        (.authors, 0.5, 1_365_792, 40_476_448), (.authors, 1.0, 2_278_760, 145_814_296),
        (.authors, 1.5, 3_506_720, 298_970_656), (.authors, 2.0, 7_402_600, 590_783_000),
    ]

    @Test(arguments: 0..<8)
    func parameterAndMultiplyAddCountsMatchTheReleases(_ index: Int) throws {
        let (layout, width, params, macs) = Self.released[index]
        let configuration = try ShuffleNetV2Configuration(layout: layout, width: width)
        #expect(configuration.spec.parameterCount == params, "\(layout) \(width)×")
        #expect(configuration.spec.multiplyAdds == macs, "\(layout) \(width)×")
        // The graph counts the same, node by node.
        let model = try ShuffleNetV2Model.seeded(configuration)
        #expect(model.graph.totalParameters == params)
        #expect(model.graph.totalMultiplyAdds == macs)
    }

    @Test func torchvisionUnitsReadLikeTheUnit() throws {
        let model = try ShuffleNetV2Model.seeded(ShuffleNetV2Configuration(inputSize: 64))
        let names = model.graph.nodes.map(\.name)
        #expect(Array(names.prefix(9)) == [
            "stem.conv", "stem.maxpool", "stage2.unit1.branch1.dw", "stage2.unit1.branch1.pw",
            "stage2.unit1.branch2.pw1", "stage2.unit1.branch2.dw", "stage2.unit1.branch2.pw2", "stage2.unit1.concat",
            "stage2.unit1.shuffle",
        ])
        let unit2 = names.filter { $0.hasPrefix("stage2.unit2.") }
        #expect(unit2 == [
            "stage2.unit2.pass", "stage2.unit2.split", "stage2.unit2.branch2.pw1", "stage2.unit2.branch2.dw",
            "stage2.unit2.branch2.pw2", "stage2.unit2.concat", "stage2.unit2.shuffle",
        ])
        #expect(Array(names.suffix(3)) == ["head.conv5", "head.pool", "head.fc"])
        let sources = model.graph.nodes.compactMap(\.source)
        #expect(sources == ["conv1", "maxpool"] + (0..<4).map { "stage2.\($0)" } + (0..<8).map { "stage3.\($0)" }
            + (0..<4).map { "stage4.\($0)" } + ["conv5", "fc"])
        // One paper-convention g = 2 shuffle per unit, on the unit's output.
        let shuffles = model.graph.nodes.filter { if case .channelShuffle(2, .paper) = $0.op { return true } else { return false } }
        #expect(shuffles.count == 16 && shuffles.allSatisfy { $0.source != nil })
    }

    @Test func authorsUnitsSplitEvenAndOddChannelsFirst() throws {
        let model = try ShuffleNetV2Model.seeded(ShuffleNetV2Configuration(layout: .authors, inputSize: 64))
        let unit2 = model.graph.nodes.filter { $0.name.hasPrefix("stage2.unit2.") }
        #expect(unit2.map(\.place.label) == ["shuffle", "pass", "split", "branch2.pw1", "branch2.dw", "branch2.pw2", "concat"])
        #expect(unit2.first?.op == .channelShuffle(groups: 2, convention: .authors))
        #expect(unit2.last?.source == "features.1")
        // Stride-2 units have no shuffle: the 3 + 7 + 3 stride-1 units split even and odd channels.
        #expect(model.graph.nodes.filter { $0.place.role == .shuffle }.count == 3 + 7 + 3)
        // features.0 at 1.0×: 24 projected + 92 computed channels, banded by branch.
        let first = try #require(model.graph.nodes.first { $0.source == "features.0" })
        #expect(first.place.bands == .parts([BandPart(name: "branch1", channels: 24), BandPart(name: "branch2", channels: 92)]))
    }

    /// The authors' even/odd split is their `channel_shuffle`: `x.reshape(b·C/2, 2, h·w).permute(1, 0, 2)`
    /// puts the even channels in the first half. Checked on a tiny hand-made tensor.
    @Test func authorsSplitTakesEvenChannelsFirst() {
        let input = Tensor(shape: Shape(n: 1, c: 6, h: 1, w: 1), storage: [0, 1, 2, 3, 4, 5])
        let shuffled = Reference.run(.channelShuffle(groups: 2, convention: .authors), inputs: [input], outputShape: input.shape)
        #expect(shuffled.storage == [0, 2, 4, 1, 3, 5])
        let pass = Reference.channelSlice(shuffled, start: 0, count: 3)
        let split = Reference.channelSlice(shuffled, start: 3, count: 3)
        #expect(pass.storage == [0, 2, 4] && split.storage == [1, 3, 5])
    }

    @Test func seededWeightsRoundTripThroughAFileAndStayUntrained() throws {
        let configuration = try ShuffleNetV2Configuration(layout: .authors, width: 0.5, inputSize: 48, classes: 7)
        let seeded = configuration.spec.seeded()
        let scratch = try ModelScratchDirectory()
        try withExtendedLifetime(scratch) {
            let directory = scratch.url
            let url = directory.appendingPathComponent("v2.safetensors")
            try seeded.write(to: url, keys: configuration.spec.keys)
            let loaded = try ModelLoader.load(ModelRequest(weights: url, inputSize: 48))
            #expect(!loaded.isTrained)
            #expect(loaded.weightsDescription == "v2.safetensors: seeded (untrained)")
            #expect(loaded.name == "ShuffleNet v2 0.5× (authors)")
            let direct = try ShuffleNetV2Model.seeded(configuration)
            let input = Tensor(shape: Shape(n: 1, c: 3, h: 48, w: 48), storage: (0..<(3 * 48 * 48)).map { Float($0 % 255) })
            let a = try Executor(graph: loaded.graph, input: input).runToEnd()
            let b = try Executor(graph: direct.graph, input: input).runToEnd()
            #expect(a.storage == b.storage)
        }
    }

    @Test func defaultPreprocessingFollowsTheWeights() throws {
        func preparation(_ layout: ShuffleNetV2Layout, _ width: Double) throws -> InputPreparation {
            try ShuffleNetV2Model.seeded(ShuffleNetV2Configuration(layout: layout, width: width, inputSize: 64)).preparation
        }
        #expect(try preparation(.torchvision, 0.5) == InputPreparation(preprocessing: .torchvision, resizeRatio: (256, 224)))
        #expect(try preparation(.torchvision, 1.0).resizeShortSide(forCrop: 224) == 256)
        #expect(try preparation(.torchvision, 1.5).resizeShortSide(forCrop: 224) == 232)
        #expect(try preparation(.torchvision, 2.0).resizeShortSide(forCrop: 224) == 232)
        #expect(try preparation(.authors, 2.0) == InputPreparation(preprocessing: .authors))
        #expect(try ShuffleNetModel.load(inputSize: 64).preparation == InputPreparation(preprocessing: .authors))
    }

    @Test func requestsThatMakeNoSenseForV2AreRefusedBeforeAnyFileIsRead() {
        let absent = URL(fileURLWithPath: "/nonexistent/v2.safetensors")
        #expect(throws: ConfigurationError.notApplicable(option: "--groups", architecture: "ShuffleNet v2 (its shuffles always interleave 2 halves)")) {
            try ModelLoader.load(ModelRequest(weights: absent, architecture: .v2, groups: 3))
        }
        #expect(throws: ConfigurationError.unsupportedV2Width(0.25)) {
            try ModelLoader.load(ModelRequest(architecture: .v2, width: 0.25))
        }
        #expect(throws: ConfigurationError.notApplicable(option: "--layout", architecture: "ShuffleNet v1")) {
            try ModelLoader.load(ModelRequest(architecture: .v1, layout: .authors))
        }
    }

    @Test func aFileMustMatchWhatWasAskedFor() throws {
        let fixture = V2GoldenTests.folder.appendingPathComponent("tv_f32.safetensors")
        #expect(throws: WeightsError.self) { try ModelLoader.load(ModelRequest(weights: fixture, architecture: .v1, inputSize: 64)) }
        #expect(throws: WeightsError.self) { try ModelLoader.load(ModelRequest(weights: fixture, layout: .authors, inputSize: 64)) }
        #expect(throws: ConfigurationError.self) { try ModelLoader.load(ModelRequest(weights: fixture, groups: 3, inputSize: 64)) }
        let loaded = try ModelLoader.load(ModelRequest(weights: fixture, architecture: .v2, layout: .torchvision, inputSize: 64))
        #expect(loaded.architecture == .v2 && loaded.shuffle == .paper)
    }

    @Test func aFileOfNoKnownLayoutGetsOneClearError() throws {
        let scratch = try ModelScratchDirectory()
        try withExtendedLifetime(scratch) {
            let directory = scratch.url
            let url = directory.appendingPathComponent("other.safetensors")
            try SafeTensorsWriter.write(
                [SafeTensorsWriter.Tensor(name: "encoder.layer.0.weight", shape: [2, 2], values: [1, 2, 3, 4], format: .f32)],
                metadata: [:], to: url)
            do {
                _ = try ModelLoader.load(ModelRequest(weights: url))
                Issue.record("a file of another network loaded")
            } catch let error as WeightsError {
                #expect(error == .unrecognizedLayout(file: url.path, sampleKeys: ["encoder.layer.0.weight"]))
                #expect("\(error)".contains("fit none of ShuffleNet v1, v2 (torchvision) or v2 (the authors')"))
            }
        }
    }

    /// A v2 checkpoint missing one tensor names it; one with a wrong shape names key and shapes.
    @Test func brokenV2CheckpointsNameTheKey() throws {
        let configuration = try ShuffleNetV2Configuration(width: 0.5, inputSize: 64)
        let spec = configuration.spec
        let seeded = spec.seeded()
        let scratch = try ModelScratchDirectory()
        try withExtendedLifetime(scratch) {
            let directory = scratch.url
            let missing = directory.appendingPathComponent("missing.safetensors")
            try seeded.write(to: missing, keys: spec.keys.filter { $0 != "stage3.2.branch2.3.weight" })
            #expect(throws: WeightsError.missingKeys(file: missing.path, network: "ShuffleNet v2 (torchvision)", keys: ["stage3.2.branch2.3.weight"])) {
                try ModelLoader.load(ModelRequest(weights: missing, inputSize: 64))
            }
        }
    }
}
