import Foundation
import Testing

/// PyTorch checkpoints, discovery and conversion as a user meets them on the command line, with
/// temporary folders standing in for the models folder and PyTorch's hub cache.
@Suite struct CheckpointCommandsTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ModelTests/Fixtures/pytorch")

    /// A scratch folder with `models/` and `torch/hub/checkpoints/`, removed afterwards.
    final class Caches {
        let root: URL
        var models: URL { root.appendingPathComponent("models") }
        var hub: URL { root.appendingPathComponent("torch/hub/checkpoints") }

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("shufflescope-caches-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: hub, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        }

        deinit { try? FileManager.default.removeItem(at: root) }

        func place(_ fixture: String, in folder: URL, as name: String) throws {
            try FileManager.default.copyItem(
                at: CheckpointCommandsTests.fixtures.appendingPathComponent(fixture), to: folder.appendingPathComponent(name))
        }

        /// Runs shufflescope with these folders as its caches (and a home without any).
        func run(_ arguments: [String]) throws -> Subprocess.Result {
            let environment = [
                "SHUFFLESCOPE_MODELS=\(models.path)", "TORCH_HOME=\(root.appendingPathComponent("torch").path)",
                "HOME=\(root.path)", "XDG_DATA_HOME=", "XDG_CACHE_HOME=",
            ]
            return try Subprocess.run("/usr/bin/env", environment + [try ShufflescopeBinary.url().path] + arguments, seconds: 60)
        }
    }

    @Test func trainedHubCheckpointIsTheDefaultAndSeededOverridesIt() throws {
        let caches = try Caches()
        let empty = try caches.run(["summary", "--format", "json"])
        #expect(empty.status == 0 && empty.output.contains("\"trained\":false"), "\(empty.errorOutput)")
        try caches.place("v1_g3_zip_wrapped.pth.tar", in: caches.hub, as: "shufflenet_v1_g3.pth.tar")
        try caches.place("v2_zip_bare.pth", in: caches.hub, as: "shufflenetv2_x0.5-f707e7126e.pth")
        let found = try caches.run(["summary", "--format", "json"])
        #expect(found.status == 0, "\(found.errorOutput)")
        #expect(found.output.contains("\"weights\":\"shufflenet_v1_g3.pth.tar\"") && found.output.contains("\"trained\":true"))
        let seeded = try caches.run(["summary", "--seeded", "--format", "json"])
        #expect(seeded.status == 0 && seeded.output.contains("\"trained\":false"))
        let both = try caches.run(["summary", "--seeded", "--weights", caches.hub.appendingPathComponent("shufflenet_v1_g3.pth.tar").path])
        #expect(both.status != 0 && both.errorOutput.contains("--seeded and --weights"))
    }

    @Test func modelsListsEveryCheckpointAndTheDefault() throws {
        let caches = try Caches()
        try caches.place("v1_g8_f16_legacy.pth", in: caches.models, as: "mine.pth")
        try caches.place("v2_zip_bare.pth", in: caches.hub, as: "shufflenetv2_x0.5-f707e7126e.pth")
        let result = try caches.run(["models"])
        #expect(result.status == 0, "\(result.errorOutput)")
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("mine.pth") && $0.contains("legacy PyTorch") && $0.contains("ShuffleNet v1 g=8") && $0.contains("yes, trained") && $0.contains("<- default") })
        #expect(lines.contains { $0.contains("shufflenetv2_x0.5-f707e7126e.pth") && $0.contains("ShuffleNet v2 (torchvision)") })
        #expect(lines.last?.contains("opens \(caches.models.appendingPathComponent("mine.pth").path) (trained)") == true)
    }

    @Test func convertWritesALoadableTrainedFile() throws {
        let caches = try Caches()
        let output = caches.root.appendingPathComponent("out.safetensors")
        let result = try caches.run(["convert", Self.fixtures.appendingPathComponent("v1_g3_legacy_bare.pth").path, output.path])
        #expect(result.status == 0 && result.output.contains("295 tensors") && result.output.contains("trained"), "\(result.errorOutput)")
        let summary = try caches.run(["summary", "--weights", output.path, "--format", "json"])
        #expect(summary.status == 0 && summary.output.contains("\"trained\":true"), "\(summary.errorOutput)")
        let seeded = caches.root.appendingPathComponent("seeded.safetensors")
        let made = try caches.run(["convert", "--seeded", "--groups", "8", "--width", "0.5", seeded.path])
        #expect(made.status == 0, "\(made.errorOutput)")
        let check = try caches.run(["summary", "--weights", seeded.path, "--format", "json"])
        #expect(check.output.contains("\"trained\":false"))
    }

    @Test func hostileCheckpointGivesOneLineAndNothingRuns() throws {
        let caches = try Caches()
        let marker = caches.root.appendingPathComponent("pwned")
        // A legacy checkpoint whose object is os.system("touch <marker>").
        let command = Array("touch \(marker.path)".utf8)
        var bytes: [UInt8] = [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E]
        bytes += [0x80, 0x02, 0x4D, 0xE9, 0x03, 0x2E, 0x80, 0x02, 0x7D, 0x2E]
        bytes += [0x80, 0x02, 0x63] + Array("os\nsystem\n".utf8) + [0x58] + (0..<4).map { UInt8(truncatingIfNeeded: command.count >> (8 * $0)) }
        bytes += command + [0x85, 0x52, 0x2E]
        let file = caches.root.appendingPathComponent("evil.pth")
        try Data(bytes).write(to: file)
        let result = try caches.run(["infer", "--weights", file.path])
        #expect(result.status != 0)
        #expect(result.errorOutput.split(separator: "\n").count == 1 && result.errorOutput.contains("'os.system'"), "\(result.errorOutput)")
        #expect(!FileManager.default.fileExists(atPath: marker.path))
    }
}
