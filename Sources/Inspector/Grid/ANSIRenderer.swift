/// Writes a cell grid as text with ANSI SGR escape sequences, for output that is not an
/// interactive terminal session (a file, a pipe, a one-shot frame on stdout).
///
/// Rows are joined by "\n" with no trailing newline. A sequence is written only where the visible
/// style changes, each one a full reset followed by the new attributes (`ESC[0;1;38;5;196m`), so
/// any slice of a line shows correctly; a line that ends styled ends with `ESC[0m`.
/// Monochrome output contains no escape sequences at all, attributes included: it is meant for
/// `NO_COLOR` users, logs and diffs, where plain text must stay plain.
public enum ANSIRenderer {
    public static func render(_ grid: CellGrid, colorMode: ColorMode) -> String {
        var output = ""
        output.reserveCapacity(grid.width * grid.height * 2)
        for row in 0..<grid.height {
            if row > 0 { output += "\n" }
            var current = ""
            for column in 0..<grid.width {
                let cell = grid[column, row]
                if colorMode != .monochrome {
                    let parameters = sgrParameters(for: cell.style, colorMode: colorMode)
                    if parameters != current {
                        output += parameters.isEmpty ? "\u{1B}[0m" : "\u{1B}[0;\(parameters)m"
                        current = parameters
                    }
                }
                output.append(printableCharacter(cell.character))
            }
            if !current.isEmpty { output += "\u{1B}[0m" }
        }
        return output
    }

    /// The character to show for a cell. Control characters (C0, DEL, C1) become "?": cell text
    /// can come from files (layer names), and a stray ESC or newline would inject sequences or
    /// break the row layout.
    public static func printableCharacter(_ character: Character) -> Character {
        guard let first = character.unicodeScalars.first else { return "?" }
        let value = first.value
        if value < 0x20 || (0x7F...0x9F).contains(value) { return "?" }
        return character
    }

    /// The SGR parameters for `style` in `colorMode`, without the reset: attributes
    /// (1 bold, 2 dim, 4 underline, 7 reverse), then foreground, then background; "" when plain.
    static func sgrParameters(for style: CellStyle, colorMode: ColorMode) -> String {
        var parameters: [String] = []
        if style.bold { parameters.append("1") }
        if style.dim { parameters.append("2") }
        if style.underline { parameters.append("4") }
        if style.reverse { parameters.append("7") }
        let foreground = ColorQuantization.quantize(style.foreground, for: colorMode)
        let background = ColorQuantization.quantize(style.background, for: colorMode)
        if let code = colorParameter(foreground, isBackground: false) { parameters.append(code) }
        if let code = colorParameter(background, isBackground: true) { parameters.append(code) }
        return parameters.joined(separator: ";")
    }

    /// 38;2;r;g;b / 48;2;r;g;b for RGB, 30–37 / 40–47 and 90–97 / 100–107 for the 16 ANSI colours
    /// (understood by terminals without the 256 palette), 38;5;n / 48;5;n for the rest.
    private static func colorParameter(_ color: ColorQuantization.Quantized, isBackground: Bool) -> String? {
        let offset = isBackground ? 10 : 0
        switch color {
        case .terminalDefault:
            return nil
        case .rgb(let rgb):
            return "\(38 + offset);2;\(rgb.red);\(rgb.green);\(rgb.blue)"
        case .palette(let index) where index < 8:
            return "\(30 + offset + index)"
        case .palette(let index) where index < 16:
            return "\(90 + offset + index - 8)"
        case .palette(let index):
            return "\(38 + offset);5;\(index)"
        }
    }
}
