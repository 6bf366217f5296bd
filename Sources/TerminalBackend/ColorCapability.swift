import Inspector

/// What the terminal can show, as curses reports it after `start_color()`, and how colours are
/// turned into curses colour numbers for it.
struct ColorCapability: Hashable, Sendable {
    /// curses' `COLORS`; 0 when the terminal has no colour.
    var colorCount: Int
    /// True when colour numbers are packed RGB (`0xRRGGBB`): ncurses' direct-colour terminals
    /// (terminfo flag `RGB`, `COLORS` = 2^24, e.g. `xterm-direct`).
    var isDirectColor: Bool
    /// True when `use_default_colors()` succeeded, so -1 means the terminal's own colour.
    var hasDefaultColors: Bool

    init(colorCount: Int, isDirectColor: Bool, hasDefaultColors: Bool = true) {
        self.colorCount = colorCount
        self.isDirectColor = isDirectColor
        self.hasDefaultColors = hasDefaultColors
    }

    /// The richest mode the terminal can show.
    var bestMode: ColorMode {
        if isDirectColor { return .truecolor }
        if colorCount >= 256 { return .palette256 }
        if colorCount >= 16 { return .ansi16 }
        if colorCount >= 8 { return .ansi8 }
        return .monochrome
    }

    /// The mode to draw in. An override wins over the environment (as no-color.org asks of
    /// explicit flags) but is capped at `bestMode`: curses cannot show more than the terminal
    /// has. Otherwise `NO_COLOR` (set and non-empty) means monochrome, and truecolor also needs
    /// `COLORTERM=truecolor` or `24bit`; without it a direct-colour terminal gets the 256 palette.
    func selectMode(environment: [String: String], override: ColorMode?) -> ColorMode {
        let best = bestMode
        if let override { return Self.poorer(override, best) }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .monochrome }
        if best == .truecolor {
            let colorTerm = environment["COLORTERM"]?.lowercased()
            if colorTerm == "truecolor" || colorTerm == "24bit" { return .truecolor }
            return .palette256
        }
        return best
    }

    /// The curses colour number for `color` in `mode`: -1 for the terminal default,
    /// a palette index on palette terminals, packed RGB on direct-colour terminals.
    func colorNumber(for color: TerminalColor, mode: ColorMode, isBackground: Bool) -> Int32 {
        switch ColorQuantization.quantize(color, for: mode) {
        case .terminalDefault:
            // Without default-colour support, white on black is the usual terminal default.
            return hasDefaultColors ? -1 : (isBackground ? 0 : 7)
        case .palette(let index):
            // Direct-colour terminfo entries still map 0...7 to the themed ANSI colours.
            guard isDirectColor, index >= 8 else { return Int32(index) }
            return Self.packed(ColorQuantization.color(ofPalette256Index: index))
        case .rgb(let rgb):
            guard isDirectColor else {
                return Int32(ColorQuantization.palette256Index(of: rgb))
            }
            return Self.packed(rgb)
        }
    }

    /// `0xRRGGBB`. Values below 8 select ANSI colours in direct-colour terminfo entries, so the
    /// darkest blues (0, 0, 0...7) are nudged to (0, 0, 8).
    static func packed(_ rgb: ColorQuantization.RGB) -> Int32 {
        max(8, Int32(rgb.red) << 16 | Int32(rgb.green) << 8 | Int32(rgb.blue))
    }

    /// Of two modes, the one with fewer colours (`ColorMode.allCases` runs best first).
    static func poorer(_ first: ColorMode, _ second: ColorMode) -> ColorMode {
        let order = ColorMode.allCases
        let firstRank = order.firstIndex(of: first) ?? 0
        let secondRank = order.firstIndex(of: second) ?? 0
        return firstRank >= secondRank ? first : second
    }
}
