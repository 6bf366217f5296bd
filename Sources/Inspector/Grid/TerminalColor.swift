/// A colour as views ask for it. Views always speak in 24-bit RGB (or the terminal's default);
/// a backend or the ANSI renderer degrades it to what the terminal can show (`ColorMode`).
public enum TerminalColor: Hashable, Sendable {
    /// The terminal's own foreground or background.
    case terminalDefault
    case rgb(UInt8, UInt8, UInt8)

    public init(red: Double, green: Double, blue: Double) {
        func byte(_ v: Double) -> UInt8 { UInt8(max(0, min(255, (v * 255).rounded()))) }
        self = .rgb(byte(red), byte(green), byte(blue))
    }
}

/// How many colours the output can show, best first.
public enum ColorMode: String, Sendable, CaseIterable, Hashable {
    /// 24-bit colour.
    case truecolor
    /// The xterm 256-colour palette (6×6×6 cube + grey ramp).
    case palette256 = "256"
    /// The 16 ANSI colours (8 + bright).
    case ansi16 = "16"
    /// The 8 basic ANSI colours.
    case ansi8 = "8"
    /// No colour at all: views draw values with an ASCII density ramp instead.
    case monochrome = "none"

    public var hasColor: Bool { self != .monochrome }
}

/// Text attributes of one cell.
public struct CellStyle: Hashable, Sendable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var bold: Bool
    public var reverse: Bool
    public var dim: Bool
    public var underline: Bool

    public init(
        foreground: TerminalColor = .terminalDefault, background: TerminalColor = .terminalDefault,
        bold: Bool = false, reverse: Bool = false, dim: Bool = false, underline: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.reverse = reverse
        self.dim = dim
        self.underline = underline
    }

    public static let plain = CellStyle()
}
