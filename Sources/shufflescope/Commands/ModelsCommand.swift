import ArgumentParser
import Foundation
import ShuffleModel

/// `shufflescope models`: the checkpoints found on this machine, and which one a run without
/// `--weights` opens. Nothing is downloaded.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the ShuffleNet checkpoints found on this machine and whether each one loads.",
        discussion: """
            Searched, in order: shufflescope's models folder ($SHUFFLESCOPE_MODELS, else \
            $XDG_DATA_HOME/shufflescope/models, else ~/.local/share/shufflescope/models; every \
            .safetensors, .pth, .pth.tar, .pt or .ckpt file) and PyTorch's hub cache \
            ($TORCH_HOME/hub/checkpoints, else $XDG_CACHE_HOME/torch/hub/checkpoints, else \
            ~/.cache/torch/hub/checkpoints; files named shufflenet*). Without --weights, every command \
            opens the first trained checkpoint that loads; --seeded keeps the untrained default.
            """
    )

    func run() throws {
        try reportingFailures(of: "models") { emit(Self.render(CheckpointDiscovery.survey(), folders: CheckpointFolder.current)) }
    }

    /// The listing for `found` in `folders` (separate from `run` so tests need no file system state).
    static func render(_ found: [DiscoveredCheckpoint], folders: [CheckpointFolder]) -> String {
        var lines: [String] = []
        let chosen = found.first { $0.isTrained }
        for folder in folders {
            let state = folder.exists ? "" : " (does not exist)"
            lines.append("\(folder.kind.rawValue): \(folder.url.path)\(state)  [\(folder.rule)]")
            let files = found.filter { $0.folder == folder }
            if files.isEmpty {
                lines.append("  no checkpoints")
                continue
            }
            let rows = files.map { file -> [String] in
                let architecture: String
                let width: String
                let loads: String
                switch file.verdict {
                case .loads(let name, let label, let trained):
                    (architecture, width) = (name, label)
                    loads = trained ? "yes, trained" : "yes, untrained (seeded)"
                case .doesNotLoad(let reason):
                    architecture = file.family?.name ?? "?"
                    width = file.family?.width.map { ShuffleNetConfiguration.label(width: $0) } ?? "?"
                    loads = "no: " + Self.shortReason(reason, file: file.url.path)
                }
                let marker = file.url == chosen?.url ? "  <- default" : ""
                return [file.url.lastPathComponent, file.format ?? "unknown", architecture, width, Self.size(file.byteCount), loads + marker]
            }
            let header = ["file", "format", "architecture", "width", "size", "loads"]
            let widths = (0..<header.count).map { column in (rows + [header]).map { $0[column].count }.max() ?? 0 }
            for row in [header] + rows {
                let cells = row.enumerated().map { column, cell in
                    column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                }
                lines.append("  " + cells.joined(separator: "  "))
            }
        }
        lines.append("")
        if let chosen {
            lines.append("a run without --weights opens \(chosen.url.path) (trained); --seeded keeps the untrained default")
        } else {
            lines.append("a run without --weights uses seeded, untrained weights: no trained checkpoint that loads was found")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The loader's message without the file path it repeats.
    static func shortReason(_ reason: String, file: String) -> String {
        let trimmed = reason.replacingOccurrences(of: "'\(file)' ", with: "").replacingOccurrences(of: "'\(file)': ", with: "")
        return trimmed.count > 100 ? String(trimmed.prefix(99)) + "…" : trimmed
    }

    static func size(_ bytes: Int) -> String {
        if bytes >= 1_000_000 { return String(format: "%.1f MB", Double(bytes) / 1e6) }
        if bytes >= 1000 { return String(format: "%.0f kB", Double(bytes) / 1e3) }
        return "\(bytes) B"
    }
}
