/// Colours, colour maps and glyphs shared by every view. Views speak RGB; the backend quantises
/// for 256/16/8-colour terminals, and `.monochrome` frames use the ASCII ramp and glyphs instead.
enum Theme {
    /// Group colours: saturated mid-luminance hues (Okabe–Ito based) that read on dark and light
    /// backgrounds and stay distinct when reduced to 16 colours (orange, sky blue, green, ...).
    static let groupPalette: [(UInt8, UInt8, UInt8)] = [
        (230, 159, 0), (86, 180, 233), (0, 158, 115), (204, 121, 167),
        (213, 94, 0), (0, 114, 178), (180, 170, 30), (150, 150, 150),
    ]

    static func groupColor(_ group: Int) -> TerminalColor {
        let (r, g, b) = groupPalette[((group % groupPalette.count) + groupPalette.count) % groupPalette.count]
        return .rgb(r, g, b)
    }

    /// One character naming a group, 1-based like the labels: "1"..."9", then "A"...
    static func groupSymbol(_ group: Int) -> Character {
        let symbols = Array("123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return symbols[((group % symbols.count) + symbols.count) % symbols.count]
    }

    /// Border glyphs: horizontal, vertical, four corners.
    struct Border {
        var horizontal: Character, vertical: Character
        var topLeft: Character, topRight: Character, bottomLeft: Character, bottomRight: Character
    }

    static let lightBorder = Border(horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘")
    /// Per-group borders, so monochrome frames still tell groups apart.
    static let groupBorders: [Border] = [
        lightBorder,
        Border(horizontal: "═", vertical: "║", topLeft: "╔", topRight: "╗", bottomLeft: "╚", bottomRight: "╝"),
        Border(horizontal: "━", vertical: "┃", topLeft: "┏", topRight: "┓", bottomLeft: "┗", bottomRight: "┛"),
        Border(horizontal: "┄", vertical: "┆", topLeft: "╭", topRight: "╮", bottomLeft: "╰", bottomRight: "╯"),
        Border(horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+"),
        Border(horizontal: "~", vertical: ":", topLeft: "*", topRight: "*", bottomLeft: "*", bottomRight: "*"),
        Border(horizontal: "=", vertical: "!", topLeft: "#", topRight: "#", bottomLeft: "#", bottomRight: "#"),
        Border(horizontal: ".", vertical: ":", topLeft: ".", topRight: ".", bottomLeft: "'", bottomRight: "'"),
    ]

    static func groupBorder(_ group: Int) -> Border { groupBorders[((group % groupBorders.count) + groupBorders.count) % groupBorders.count] }

    /// ASCII density ramp, light to dense, for values in monochrome.
    static let ramp: [Character] = Array(" .:-=+*#%@")

    static func rampCharacter(_ t: Float) -> Character {
        let index = Int((max(0, min(1, t)) * Float(ramp.count - 1)).rounded())
        return ramp[index]
    }

    /// Colour of a normalised value on the default maps (viridis, or the diverging map for
    /// signed layers) as a terminal showing `mode` can show it.
    @inline(__always)
    static func mapColor(_ t: Float, signed: Bool, mode: ColorMode = .truecolor) -> TerminalColor {
        ColormapChoice.viridis.map(signed: signed).color(t, mode: mode)
    }

    /// Pale yellow to red, for time shares.
    static func heat(_ t: Double) -> TerminalColor {
        let x = max(0, min(1, t))
        let r = 250 - 30 * x, g = 230 - 170 * x, b = 170 - 130 * x
        return .rgb(UInt8(r), UInt8(g), UInt8(b))
    }

    static let accent = TerminalColor.rgb(95, 175, 255)
    static let warning = TerminalColor.rgb(255, 95, 95)
    static let black = TerminalColor.rgb(0, 0, 0)
}

extension CellStyle {
    static let bold = CellStyle(bold: true)
    static let dimmed = CellStyle(dim: true)
    static let inverted = CellStyle(reverse: true)
    static let title = CellStyle(bold: true, underline: false)

    static func foreground(_ color: TerminalColor, bold: Bool = false) -> CellStyle {
        CellStyle(foreground: color, bold: bold)
    }
}
