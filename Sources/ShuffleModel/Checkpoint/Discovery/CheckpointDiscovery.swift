import Foundation

/// A checkpoint found in one of the searched folders, and what the model loader makes of it.
public struct DiscoveredCheckpoint: Sendable {
    public enum Verdict: Sendable, Equatable {
        /// The loader builds a network from it.
        case loads(architecture: String, width: String, isTrained: Bool)
        /// The loader refuses it; `reason` is its one-line error.
        case doesNotLoad(reason: String)
    }

    public var url: URL
    public var folder: CheckpointFolder
    public var byteCount: Int
    /// `safetensors`, `PyTorch zip`, `legacy PyTorch`, or nil when the bytes are none of them.
    public var format: String?
    /// What the keys say the file is, nil when it does not open.
    public var family: CheckpointFamily?
    public var verdict: Verdict

    public var loads: Bool { if case .loads = verdict { return true } else { return false } }
    public var isTrained: Bool { if case .loads(_, _, true) = verdict { return true } else { return false } }
}

/// Looks for checkpoints the user already has (see `CheckpointFolder`). Nothing is downloaded.
///
/// Discovery never decides by itself what a file is: it asks the model loader, so a network the
/// loader learns to build is found without changing this code.
public enum CheckpointDiscovery {
    /// Every candidate file of `folders`, in search order, each tried with `load`.
    public static func survey<Model>(
        folders: [CheckpointFolder], load: (URL) throws -> Model,
        describe: (Model) -> (architecture: String, width: String, isTrained: Bool)
    ) -> [DiscoveredCheckpoint] {
        folders.flatMap { folder in
            folder.files().map { url in
                let byteCount = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
                let archive = try? TensorArchives.open(url)
                let format: String? = (try? Data(contentsOf: url, options: .alwaysMapped)).flatMap {
                    try? TensorArchives.format(of: $0, path: url.path).rawValue
                }
                let verdict: DiscoveredCheckpoint.Verdict
                do {
                    let model = try load(url)
                    let description = describe(model)
                    verdict = .loads(
                        architecture: description.architecture, width: description.width,
                        isTrained: description.isTrained)
                } catch {
                    verdict = .doesNotLoad(reason: "\(error)")
                }
                return DiscoveredCheckpoint(
                    url: url, folder: folder, byteCount: byteCount, format: format,
                    family: archive.map { CheckpointFamily(shapes: $0.shapes) }, verdict: verdict)
            }
        }
    }

    /// The first file, folder by folder, that `load` accepts and `isTrained` calls trained,
    /// with the model loaded from it; nil when there is none.
    public static func firstTrained<Model>(
        folders: [CheckpointFolder], load: (URL) throws -> Model, isTrained: (Model) -> Bool
    ) -> (url: URL, model: Model)? {
        for folder in folders {
            for url in folder.files() {
                if let model = try? load(url), isTrained(model) { return (url, model) }
            }
        }
        return nil
    }
}

extension CheckpointDiscovery {
    /// `survey` with the model layer's loader, each file opened as it is (no configuration asked for).
    public static func survey(folders: [CheckpointFolder] = CheckpointFolder.current) -> [DiscoveredCheckpoint] {
        survey(folders: folders, load: { try ModelLoader.load(ModelRequest(weights: $0)) }, describe: describe)
    }

    /// Architecture and width as `shufflescope models` lists them.
    public static func describe(_ model: any ShuffleNetwork) -> (architecture: String, width: String, isTrained: Bool) {
        (model.familyDescription, model.widthLabel, model.isTrained)
    }
}
