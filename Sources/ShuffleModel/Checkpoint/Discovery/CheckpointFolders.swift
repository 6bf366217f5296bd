import Foundation

/// The folders searched for trained checkpoints when no weights file is named, in order:
/// shufflescope's own models folder (a deliberate choice of the user), then PyTorch's hub cache
/// (where `torchvision.models.shufflenet_v2_x1_0(weights="DEFAULT")` leaves its download).
///
/// - models: `$SHUFFLESCOPE_MODELS`, else `$XDG_DATA_HOME/shufflescope/models`, else
///   `~/.local/share/shufflescope/models`.
/// - hub: `$TORCH_HOME/hub/checkpoints`, else `$XDG_CACHE_HOME/torch/hub/checkpoints`, else
///   `~/.cache/torch/hub/checkpoints` (PyTorch's own rule, `torch.hub.get_dir()`).
///
/// Empty variables count as unset, as the XDG base-directory specification says.
public struct CheckpointFolder: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case models = "shufflescope models folder"
        case torchHub = "PyTorch hub cache"
    }

    public var kind: Kind
    public var url: URL
    /// Which rule chose the folder, e.g. `$TORCH_HOME/hub/checkpoints`.
    public var rule: String

    /// Whether a file in this folder is a candidate: in the hub cache only ShuffleNet files
    /// (it holds every model PyTorch ever downloaded), in the models folder every checkpoint.
    public func admits(_ name: String) -> Bool {
        if name.hasPrefix(".") { return false }
        switch kind {
        case .torchHub: return name.lowercased().contains("shufflenet")
        case .models:
            let lower = name.lowercased()
            return Self.extensions.contains { lower.hasSuffix($0) }
        }
    }

    /// torchvision's ShuffleNet v2 files as the hub cache names them, in the order a default run
    /// prefers them: 1.0× (the paper's reference size) first.
    public static let torchvisionNames = [
        "shufflenetv2_x1-5666bf0f80.pth", "shufflenetv2_x0.5-f707e7126e.pth", "shufflenetv2_x1_5-3c479a10.pth",
        "shufflenetv2_x2_0-8be3c8ee.pth",
    ]

    /// The names checkpoints go by (the format itself is read from the bytes).
    public static let extensions = [".safetensors", ".pth", ".pth.tar", ".pt", ".ckpt", ".tar", ".bin"]

    /// The folders for an environment and home directory, models folder first.
    public static func search(environment: [String: String], home: URL) -> [CheckpointFolder] {
        func variable(_ name: String) -> String? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return value
        }
        let models: CheckpointFolder
        if let folder = variable("SHUFFLESCOPE_MODELS") {
            models = CheckpointFolder(kind: .models, url: URL(fileURLWithPath: folder), rule: "$SHUFFLESCOPE_MODELS")
        } else if let data = variable("XDG_DATA_HOME") {
            models = CheckpointFolder(
                kind: .models, url: URL(fileURLWithPath: data).appendingPathComponent("shufflescope/models"),
                rule: "$XDG_DATA_HOME/shufflescope/models")
        } else {
            models = CheckpointFolder(
                kind: .models, url: home.appendingPathComponent(".local/share/shufflescope/models"),
                rule: "~/.local/share/shufflescope/models")
        }
        let hub: CheckpointFolder
        if let torch = variable("TORCH_HOME") {
            hub = CheckpointFolder(
                kind: .torchHub, url: URL(fileURLWithPath: torch).appendingPathComponent("hub/checkpoints"),
                rule: "$TORCH_HOME/hub/checkpoints")
        } else if let cache = variable("XDG_CACHE_HOME") {
            hub = CheckpointFolder(
                kind: .torchHub, url: URL(fileURLWithPath: cache).appendingPathComponent("torch/hub/checkpoints"),
                rule: "$XDG_CACHE_HOME/torch/hub/checkpoints")
        } else {
            hub = CheckpointFolder(
                kind: .torchHub, url: home.appendingPathComponent(".cache/torch/hub/checkpoints"),
                rule: "~/.cache/torch/hub/checkpoints")
        }
        return [models, hub]
    }

    /// The folders for this process's environment and the user's home directory.
    public static var current: [CheckpointFolder] {
        search(
            environment: ProcessInfo.processInfo.environment,
            home: FileManager.default.homeDirectoryForCurrentUser)
    }

    /// The candidate files in this folder, torchvision's known files first (in `torchvisionNames`
    /// order), then the rest by name; empty when the folder does not exist.
    public func files() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        let known = Self.torchvisionNames
        return names.filter(admits).sorted {
            let (a, b) = (known.firstIndex(of: $0) ?? known.count, known.firstIndex(of: $1) ?? known.count)
            return a != b ? a < b : $0 < $1
        }.map { url.appendingPathComponent($0) }.filter { file in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }

    public var exists: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
