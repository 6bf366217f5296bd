import Foundation
import Testing

@testable import ShuffleModel

/// Where trained checkpoints are looked for, in which order, and what a run without `--weights`
/// opens, with temporary folders standing in for the caches.
@Suite struct DiscoveryTests {
    static let home = URL(fileURLWithPath: "/home/user")

    @Test func foldersFollowTheEnvironmentInOrder() {
        func paths(_ environment: [String: String]) -> [String] {
            CheckpointFolder.search(environment: environment, home: Self.home).map(\.url.path)
        }
        #expect(paths([:]) == ["/home/user/.local/share/shufflescope/models", "/home/user/.cache/torch/hub/checkpoints"])
        #expect(
            paths(["XDG_DATA_HOME": "/data", "XDG_CACHE_HOME": "/cache"]) == [
                "/data/shufflescope/models", "/cache/torch/hub/checkpoints",
            ])
        #expect(
            paths(["SHUFFLESCOPE_MODELS": "/m", "XDG_DATA_HOME": "/data", "TORCH_HOME": "/t", "XDG_CACHE_HOME": "/cache"])
                == ["/m", "/t/hub/checkpoints"])
        // Empty variables count as unset.
        #expect(paths(["SHUFFLESCOPE_MODELS": "", "TORCH_HOME": ""]) == paths([:]))
        let kinds = CheckpointFolder.search(environment: [:], home: Self.home).map(\.kind)
        #expect(kinds == [.models, .torchHub])
    }

    @Test func hubCacheAdmitsOnlyShuffleNetFilesModelsFolderEveryCheckpoint() {
        let hub = CheckpointFolder(kind: .torchHub, url: Self.home, rule: "")
        let models = CheckpointFolder(kind: .models, url: Self.home, rule: "")
        for name in ["shufflenetv2_x0.5-f707e7126e.pth", "shufflenetv2_x1-5666bf0f80.pth", "ShuffleNetV1-1.0x-g3.pth.tar"] {
            #expect(hub.admits(name), "\(name)")
        }
        #expect(!hub.admits("resnet18-f37072fd.pth") && !hub.admits(".shufflenet.pth.partial"))
        #expect(models.admits("mine.pt") && models.admits("g3.safetensors") && models.admits("x.ckpt"))
        #expect(!models.admits("notes.txt") && !models.admits(".hidden.pth"))
    }

    @Test func torchvisionFilesComeFirstOneTimesFirst() throws {
        let directory = try ModelScratchDirectory()
        let names = ["a_shufflenet_mine.pth", "shufflenetv2_x2_0-8be3c8ee.pth", "shufflenetv2_x0.5-f707e7126e.pth",
                     "shufflenetv2_x1-5666bf0f80.pth"]
        for name in names { _ = try directory.file(name, Data()) }
        let hub = CheckpointFolder(kind: .torchHub, url: directory.url, rule: "")
        #expect(hub.files().map(\.lastPathComponent) == [
            "shufflenetv2_x1-5666bf0f80.pth", "shufflenetv2_x0.5-f707e7126e.pth", "shufflenetv2_x2_0-8be3c8ee.pth",
            "a_shufflenet_mine.pth",
        ])
    }

    /// Temporary stand-ins for the models folder and the hub cache.
    struct Caches {
        let directory: ModelScratchDirectory
        let environment: [String: String]
        var folders: [CheckpointFolder] { CheckpointFolder.search(environment: environment, home: directory.url) }
        var models: URL { URL(fileURLWithPath: environment["SHUFFLESCOPE_MODELS"] ?? "") }
        var hub: URL { URL(fileURLWithPath: environment["TORCH_HOME"] ?? "").appendingPathComponent("hub/checkpoints") }

        init() throws {
            directory = try ModelScratchDirectory()
            environment = [
                "SHUFFLESCOPE_MODELS": directory.url.appendingPathComponent("models").path,
                "TORCH_HOME": directory.url.appendingPathComponent("torch").path,
            ]
            try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: hub, withIntermediateDirectories: true)
        }

        func place(_ fixture: String, in folder: URL, as name: String) throws -> URL {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.copyItem(at: PyTorchFixtures.folder.appendingPathComponent(fixture), to: url)
            return url
        }
    }

    static func trainedModel(_ folders: [CheckpointFolder], groups: Int? = nil) -> (url: URL, model: ShuffleNetModel)? {
        CheckpointDiscovery.firstTrained(
            folders: folders, load: { try ShuffleNetModel.load(weights: $0, groups: groups) }, isTrained: \.isTrained)
    }

    @Test func noCachesMeansTheSeededDefault() throws {
        let caches = try Caches()
        #expect(Self.trainedModel(caches.folders) == nil)
        try FileManager.default.removeItem(at: caches.models)  // a missing folder is no error either
        #expect(Self.trainedModel(caches.folders) == nil)
        #expect(CheckpointDiscovery.survey(folders: caches.folders).isEmpty)
    }

    @Test func hubCheckpointIsFoundAndLoaded() throws {
        let caches = try Caches()
        _ = try caches.place("v1_g8_f16_zip_model.pth.tar", in: caches.hub, as: "resnet18-f37072fd.pth")  // not ShuffleNet by name
        let hub = try caches.place("v1_g3_zip_wrapped.pth.tar", in: caches.hub, as: "shufflenet_v1_g3.pth.tar")
        let found = try #require(Self.trainedModel(caches.folders))
        #expect(found.url == hub)
        #expect(found.model.isTrained && found.model.configuration.groups == 3)
        #expect(found.model.weightsDescription == "shufflenet_v1_g3.pth.tar (trained)")
    }

    @Test func modelsFolderComesFirstAndUntrainedFilesAreSkipped() throws {
        let caches = try Caches()
        _ = try caches.place("v1_g3_zip_wrapped.pth.tar", in: caches.hub, as: "shufflenet_v1_g3.pth.tar")
        let seeded = caches.models.appendingPathComponent("a_seeded.safetensors")
        try ShuffleNetWeights.seeded(configuration: try ShuffleNetConfiguration(groups: 8, width: 0.25, classes: 10))
            .write(to: seeded)
        let mine = try caches.place("v1_g8_bf16_legacy_wrapped.pth.tar", in: caches.models, as: "b_mine.pth")
        let found = try #require(Self.trainedModel(caches.folders))
        #expect(found.url == mine, "the models folder's trained file, not its seeded one, not the hub's")
        // Asking for g=3 skips the g=8 files that do not fit and takes the hub's.
        #expect(Self.trainedModel(caches.folders, groups: 3)?.url.lastPathComponent == "shufflenet_v1_g3.pth.tar")
    }

    @Test func surveyListsEveryFileWithWhatTheLoaderSays() throws {
        let caches = try Caches()
        _ = try caches.place("v1_g3_legacy_bare.pth", in: caches.models, as: "g3.pth")
        _ = try caches.place("v2_zip_bare.pth", in: caches.hub, as: "shufflenetv2_x0.5-f707e7126e.pth")
        try Data("not a checkpoint".utf8).write(to: caches.models.appendingPathComponent("broken.pt"))
        let found = CheckpointDiscovery.survey(folders: caches.folders)
        #expect(found.map(\.url.lastPathComponent) == ["broken.pt", "g3.pth", "shufflenetv2_x0.5-f707e7126e.pth"])
        let broken = found[0], v1 = found[1], v2 = found[2]
        #expect(!broken.loads && broken.format == nil && broken.family == nil)
        #expect(v1.verdict == .loads(architecture: "ShuffleNet v1 g=3", width: "0.25×", isTrained: true))
        #expect(v1.format == "legacy PyTorch" && v1.family == .shuffleNetV1(groups: 3) && v1.folder.kind == .models)
        #expect(v1.byteCount == (try FileManager.default.attributesOfItem(atPath: v1.url.path)[.size] as? Int))
        // ShuffleNet v2 is named from its keys; whether it loads is the model layer's answer.
        #expect(v2.family == .shuffleNetV2Torchvision(width: nil) && v2.format == "PyTorch zip")
        #expect(v2.folder.kind == .torchHub)
        if case .doesNotLoad(let reason) = v2.verdict { #expect(!reason.isEmpty) }
    }

    @Test func familiesAreReadFromKeysAndShapes() throws {
        func family(_ fixture: String) throws -> CheckpointFamily {
            CheckpointFamily(shapes: try TensorArchives.open(PyTorchFixtures.folder.appendingPathComponent(fixture)).shapes)
        }
        #expect(try family("v1_g8_f16_legacy.pth") == .shuffleNetV1(groups: 8))
        #expect(try family("v2_zip_f16_module.pth") == .shuffleNetV2Torchvision(width: nil))
        #expect(CheckpointFamily(shapes: ["conv5.0.weight": [1024, 464, 1, 1]]) == .shuffleNetV2Torchvision(width: 1.0))
        #expect(CheckpointFamily(shapes: ["module.features.0.branch_proj.0.weight": [24, 1, 3, 3]]) == .shuffleNetV2Authors(width: nil))
        #expect(CheckpointFamily(shapes: ["fc.weight": [10, 5]]) == .other)
    }
}
