import Foundation
import ShuffleEngine
import Testing

@testable import ShuffleModel

@Suite struct ModelTests {
    @Test func defaultModelIsSeededAndSaysSo() throws {
        let model = try ShuffleNetModel.load(inputSize: 32)
        #expect(
            model.configuration.groups == 3 && model.configuration.width == 1.0 && model.configuration.classes == 1000)
        #expect(model.configuration.shuffle == .authors)
        #expect(!model.isTrained)
        #expect(model.weightsDescription == "seeded (untrained)")
        #expect(model.description.hasSuffix("; seeded (untrained)"))
        #expect(model.preparation.preprocessing == .authors)
        #expect(model.weightsFile == nil)
        #expect(model.graph.nodes.count == 87)
    }

    @Test func requestsAreCheckedBeforeTheFileIsRead() {
        let absent = URL(fileURLWithPath: "/nonexistent/weights.safetensors")
        #expect(throws: ConfigurationError.unsupportedGroups(5)) {
            try ShuffleNetModel.load(weights: absent, groups: 5)
        }
        #expect(throws: ConfigurationError.unsupportedWidth(0.7)) {
            try ShuffleNetModel.load(weights: absent, width: 0.7)
        }
        #expect(throws: ConfigurationError.invalidClassCount(0)) {
            try ShuffleNetModel.load(weights: absent, classes: 0)
        }
        #expect(throws: ConfigurationError.inputTooSmall(size: 8, minimum: 17, layer: "stage 3's first unit")) {  // 8 → 4 → 2 → 1
            try ShuffleNetModel.load(weights: absent, inputSize: 8)
        }
        #expect(throws: WeightsError.unreadableFile(file: absent.path, reason: "no such file")) {
            try ShuffleNetModel.load(weights: absent)
        }
    }

    @Test func rebuildingChangesOnlyTheShuffleAndTheDepthwiseOrder() throws {
        let model = try ShuffleNetModel.load(groups: 8, width: 0.25, inputSize: 32, classes: 10)
        let ablation = model.rebuiltModel(shuffle: .disabled)
        #expect(ablation.configuration.shuffle == .disabled)
        #expect(ablation.configuration.widths == model.configuration.widths)
        #expect(ablation.weightsDescription == model.weightsDescription)
        #expect(ablation.graph.nodes.map(\.name) == model.graph.nodes.map(\.name))
        for (before, after) in zip(model.graph.nodes, ablation.graph.nodes) {
            switch (before.op, after.op) {
            case (.channelShuffle(let groups, .authors), .channelShuffle(let newGroups, .disabled)):
                #expect(groups == 8 && newGroups == 8)
            case (.convolution(let old), .convolution(let new)) where before.name.hasSuffix(".dw"):
                // Same channels, other order: sorted weights agree, the arrays do not.
                #expect(old.weight != new.weight, "\(before.name)")
                #expect(old.weight.sorted() == new.weight.sorted(), "\(before.name)")
            default:
                #expect(before.op == after.op, "\(before.name)")
            }
        }
        #expect(model.rebuilt(shuffle: .authors).graph.nodes.map(\.op) == model.graph.nodes.map(\.op))
        // Through the architecture-independent protocol: still a v1 model, with the new convention.
        let rebuilt = model.rebuilt(shuffle: .disabled)
        #expect(rebuilt.architecture == .v1 && rebuilt.shuffle == .disabled && rebuilt.shuffleGroups == 8)
        #expect((rebuilt as? ShuffleNetModel)?.configuration.widths == model.configuration.widths)
    }

    @Test func batchedGraphs() throws {
        let model = try ShuffleNetModel.load(groups: 1, width: 0.25, inputSize: 40)
        let graph = try model.graph(batchSize: 4)
        #expect(graph.inputShape == Shape(n: 4, c: 3, h: 40, w: 40))
        #expect(graph.nodes.last?.outputShape == Shape(n: 4, c: 1000, h: 1, w: 1))
        #expect(throws: ConfigurationError.invalidBatchSize(-1)) { try model.graph(batchSize: -1) }
    }

    @Test func loadedFileIsDescribedByName() throws {
        let directory = try ModelScratchDirectory()
        let configuration = try ShuffleNetConfiguration(groups: 2, width: 0.25, classes: 4)
        let seeded = ShuffleNetWeights.seeded(configuration: configuration)
        let untrained = directory.url.appendingPathComponent("export.safetensors")
        try seeded.write(to: untrained)
        let reloaded = try ShuffleNetModel.load(weights: untrained, inputSize: 32)
        #expect(reloaded.weightsDescription == "export.safetensors: seeded (untrained)")
        #expect(!reloaded.isTrained)
        // Without the marker the file counts as trained.
        let trained = try CheckpointLoadingTests.write(seeded.tensors, to: directory, name: "trained.safetensors")
        let model = try ShuffleNetModel.load(weights: trained, inputSize: 32)
        #expect(model.isTrained && model.weightsDescription == "trained.safetensors (trained)")
        // The same weights give the same network whether seeded in memory or read back.
        let inMemory = try ShuffleNetModel.load(groups: 2, width: 0.25, inputSize: 32, classes: 4)
        #expect(inMemory.graph.nodes.map(\.op) == reloaded.graph.nodes.map(\.op))
    }
}
