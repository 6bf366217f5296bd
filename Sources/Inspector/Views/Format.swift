import Foundation

/// Number formatting for narrow columns.
enum Format {
    /// "812 µs", "1.23 ms", "12.3 ms", "1.20 s".
    static func time(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite else { return "–" }
        // Thresholds sit where the rounded text would change units ("1000 µs" is "1.00 ms").
        if seconds < 999.5e-6 { return String(format: "%.0f µs", seconds * 1e6) }
        if seconds < 9.995e-3 { return String(format: "%.2f ms", seconds * 1e3) }
        if seconds < 99.95e-3 { return String(format: "%.1f ms", seconds * 1e3) }
        if seconds < 999.5e-3 { return String(format: "%.0f ms", seconds * 1e3) }
        return String(format: "%.2f s", seconds)
    }

    /// "950", "12.3k", "1.23M", "137M", "1.2G".
    static func count(_ value: Int) -> String {
        let v = Double(value)
        switch abs(v) {
        case ..<1000: return "\(value)"
        case ..<1e4: return String(format: "%.2fk", v / 1e3)
        case ..<1e6: return String(format: "%.1fk", v / 1e3)
        case ..<1e7: return String(format: "%.2fM", v / 1e6)
        case ..<1e9: return String(format: "%.1fM", v / 1e6)
        default: return String(format: "%.2fG", v / 1e9)
        }
    }

    /// Bytes in binary units, as everywhere in shufflescope: "512 B", "12.0 KiB", "1.20 MiB".
    static func bytes(_ value: Int) -> String {
        let v = Double(value)
        if v < 1024 { return "\(value) B" }
        if v < 1024 * 1023.95 { return String(format: "%.1f KiB", v / 1024) }
        return String(format: "%.2f MiB", v / 1024 / 1024)
    }

    /// A float in about 5 characters with a true minus sign: "−0.412", "12.3", "1.2e+04".
    static func value(_ x: Float) -> String {
        guard x.isFinite else { return x.isNaN ? "NaN" : (x > 0 ? "∞" : "−∞") }
        let a = abs(x)
        let text: String
        if a == 0 { text = "0" }
        else if a >= 1e4 || a < 1e-3 { text = String(format: "%.1e", a) }
        else if a >= 100 { text = String(format: "%.0f", a) }
        else if a >= 10 { text = String(format: "%.1f", a) }
        else if a >= 1 { text = String(format: "%.2f", a) }
        else { text = String(format: "%.3f", a) }
        return x < 0 ? "−" + text : text
    }

    /// "41%" / "7.5%".
    static func percent(_ fraction: Double) -> String {
        let p = fraction * 100
        return p < 10 && p > 0 ? String(format: "%.1f%%", p) : String(format: "%.0f%%", p)
    }

    /// `text` cut to `width` characters, ending with "…" when cut.
    static func fit(_ text: String, _ width: Int) -> String {
        guard width > 0 else { return "" }
        guard text.count > width else { return text }
        return width == 1 ? "…" : String(text.prefix(width - 1)) + "…"
    }

    /// `text` right-aligned in `width` (cut when longer).
    static func right(_ text: String, _ width: Int) -> String {
        text.count >= width ? fit(text, width) : String(repeating: " ", count: width - text.count) + text
    }

    /// `text` padded on the right to `width` (cut when longer).
    static func left(_ text: String, _ width: Int) -> String {
        text.count >= width ? fit(text, width) : text + String(repeating: " ", count: width - text.count)
    }

    /// A horizontal bar of `width` cells filled to `fraction` with eighth blocks (ASCII `#` in monochrome).
    static func bar(_ fraction: Double, width: Int, ascii: Bool) -> String {
        guard width > 0 else { return "" }
        let f = max(0, min(1, fraction.isFinite ? fraction : 0))
        if ascii {
            let filled = Int((f * Double(width)).rounded())
            return String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        }
        let eighths = Int((f * Double(width) * 8).rounded())
        let partials: [Character] = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var text = String(repeating: "█", count: eighths / 8)
        if eighths / 8 < width { text.append(partials[eighths % 8]) }
        return left(text, width)
    }
}
