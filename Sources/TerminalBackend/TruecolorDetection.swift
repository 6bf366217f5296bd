import Inspector

/// Whether a terminal shows 24-bit colour even when its terminfo entry (what curses reads) only
/// offers 256, and how to reach it.
///
/// Evidence, in order: `COLORTERM=truecolor|24bit` (set by most truecolor terminals and passed
/// through ssh and tmux), the terminfo flags `RGB` (ncurses) or `Tc` (tmux), and tmux's own
/// report of its client (`#{client_termfeatures}` containing `RGB`). curses can only send RGB
/// through a direct-colour entry, so the backend opens `<type>-direct` instead when one exists
/// (`xterm-256color` → `xterm-direct`, `tmux-256color` → `tmux-direct`).
struct TruecolorDetection: Equatable, Sendable {
    /// What says the terminal has 24-bit colour, e.g. "COLORTERM=truecolor"; nil when nothing does.
    var evidence: String?

    init(environment: [String: String], terminfoFlags: Set<String> = [], tmuxFeatures: String? = nil) {
        let colorTerm = environment["COLORTERM"]?.lowercased()
        if colorTerm == "truecolor" || colorTerm == "24bit" {
            evidence = "COLORTERM=\(colorTerm ?? "")"
        } else if let flag = ["RGB", "Tc"].first(where: terminfoFlags.contains) {
            evidence = "terminfo \(flag)"
        } else if let tmuxFeatures, tmuxFeatures.split(separator: ",").contains("RGB") {
            evidence = "tmux client feature RGB"
        } else {
            evidence = nil
        }
    }

    var isTruecolor: Bool { evidence != nil }

    /// The direct-colour terminfo entry to try for `terminalType`: nil when it already is one.
    static func directVariant(of terminalType: String?) -> String? {
        guard let terminalType, !terminalType.isEmpty, !terminalType.hasSuffix("-direct") else { return nil }
        var base = terminalType
        for suffix in ["-256color", "-88color", "-color"] where base.hasSuffix(suffix) {
            base = String(base.dropLast(suffix.count))
            break
        }
        return base + "-direct"
    }

    /// The header's word when a mode was asked for but the terminal shows less; nil when honoured.
    static func notice(requested: ColorMode?, shown: ColorMode, terminalType: String?, detection: TruecolorDetection) -> String? {
        guard let requested, ColorCapability.poorer(requested, shown) == shown, requested != shown else { return nil }
        let type = terminalType ?? "unknown"
        let showing = shown == .monochrome ? "no colours shown" : "\(shown.rawValue) colours shown"
        guard requested == .truecolor else { return "\(showing), not \(requested.rawValue): \(type) has no more" }
        if detection.isTruecolor, let direct = directVariant(of: terminalType) {
            return "\(showing), not truecolor: \(type) has no RGB entry (try TERM=\(direct))"
        }
        return "\(showing), not truecolor: \(type) has no RGB entry and nothing reports 24-bit colour"
    }
}
