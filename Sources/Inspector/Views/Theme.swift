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

    /// Perceptually ordered map for unsigned values (viridis anchors).
    static let viridis: [TerminalColor] = lookupTable([
        (68, 1, 84), (72, 40, 120), (62, 74, 137), (49, 104, 142), (38, 130, 142),
        (31, 158, 137), (53, 183, 121), (109, 205, 89), (180, 222, 44), (253, 231, 37),
    ])

    /// Blue–white–red for signed values; white is zero.
    static let diverging: [TerminalColor] = lookupTable([
        (5, 48, 97), (33, 102, 172), (67, 147, 195), (146, 197, 222), (209, 229, 240), (247, 247, 247),
        (253, 219, 199), (244, 165, 130), (214, 96, 77), (178, 24, 43), (103, 0, 31),
    ])

    /// Colour of a normalised value on the map for a signed or unsigned layer.
    @inline(__always)
    static func mapColor(_ t: Float, signed: Bool) -> TerminalColor {
        let table = signed ? diverging : viridis
        let index = Int(max(0, min(1, t)) * 255 + 0.5)
        return table[index]
    }

    /// Stand-ins for the two maps on terminals with only the 16 or 8 ANSI colours, dark to light
    /// and blue through white to red, given as those colours' exact RGB so the quantiser keeps
    /// them. Quantising the smooth maps to the nearest ANSI colour would turn most of viridis
    /// grey and most of the diverging map white.
    static let viridis16 = ansi([0, 4, 12, 6, 2, 10, 3, 11])
    static let viridis8 = ansi([0, 4, 6, 2, 3])
    static let diverging16 = ansi([4, 12, 14, 7, 11, 9, 1])
    static let diverging8 = ansi([4, 6, 7, 3, 1])

    /// Colour of a normalised value for a terminal showing `mode`: the smooth maps where the
    /// palette can follow them, equal-width bands of the ANSI stand-ins where it cannot.
    @inline(__always)
    static func mapColor(_ t: Float, signed: Bool, mode: ColorMode) -> TerminalColor {
        let bands: [TerminalColor]
        switch mode {
        case .truecolor, .palette256, .monochrome: return mapColor(t, signed: signed)
        case .ansi16: bands = signed ? diverging16 : viridis16
        case .ansi8: bands = signed ? diverging8 : viridis8
        }
        return bands[min(bands.count - 1, Int(max(0, min(1, t)) * Float(bands.count)))]
    }

    private static func ansi(_ indices: [Int]) -> [TerminalColor] {
        indices.map { index in
            let rgb = ColorQuantization.ansiColors[index]
            return .rgb(rgb.red, rgb.green, rgb.blue)
        }
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

    private static func lookupTable(_ anchors: [(Double, Double, Double)]) -> [TerminalColor] {
        (0..<256).map { i in
            let position = Double(i) / 255 * Double(anchors.count - 1)
            let lower = min(anchors.count - 2, Int(position))
            let f = position - Double(lower)
            let a = anchors[lower], b = anchors[lower + 1]
            return TerminalColor(
                red: (a.0 + (b.0 - a.0) * f) / 255, green: (a.1 + (b.1 - a.1) * f) / 255,
                blue: (a.2 + (b.2 - a.2) * f) / 255)
        }
    }
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
