import CNCurses
import Glibc
import Inspector

extension CursesSession {
    /// Copies `grid` to the screen and shows it. Cells outside the screen are dropped; screen
    /// cells outside the grid are blank. Colours are quantised to `mode` and attributes kept in
    /// every mode, monochrome included (reverse video is how a selection shows without colour).
    func draw(_ grid: CellGrid, mode: ColorMode) {
        let (width, height) = size
        let columns = min(width, grid.width)
        let rows = min(height, grid.height)

        var styleKeys: [CellStyle: ColorPairKey] = [:]
        for row in 0..<rows {
            for column in 0..<columns {
                let style = grid[column, row].style
                if styleKeys[style] == nil { styleKeys[style] = pairKey(for: style, mode: mode) }
            }
        }
        let assignment = pairs.assign(Set(styleKeys.values))
        for definition in assignment.definitions {
            init_extended_pair(definition.number, definition.key.foreground, definition.key.background)
        }
        if assignment.wasReset { clearok(window, true) }

        werase(window)
        var wideCharacters: [Character: [wchar_t]] = [:]
        var attributesByStyle: [CellStyle: attr_t] = [:]
        var cell = cchar_t()
        for row in 0..<rows {
            for column in 0..<columns {
                let source = grid[column, row]
                let wide: [wchar_t]
                if let cached = wideCharacters[source.character] {
                    wide = cached
                } else {
                    let scalars = CellCharacter.scalars(for: source.character, localeIsUTF8: localeIsUTF8)
                    wide = scalars.map { wchar_t(bitPattern: $0) } + [0]
                    wideCharacters[source.character] = wide
                }
                let attributes = attributesByStyle[source.style] ?? Self.attributes(for: source.style)
                attributesByStyle[source.style] = attributes
                var pair = pairs.number(for: styleKeys[source.style] ?? .terminalDefault)
                // The short pair argument is ignored when the extended (int) pair is passed.
                setcchar(&cell, wide, attributes, 0, &pair)
                // Writing the bottom-right cell reports ERR (the cursor cannot move past it) but
                // the cell is stored; other errors are clipping, equally harmless.
                _ = mvwadd_wch(window, Int32(row), Int32(column), &cell)
            }
        }
        wnoutrefresh(window)
        doupdate()
    }

    /// Forces the next `draw` to repaint every cell, e.g. after a resize.
    func invalidate() {
        clearok(window, true)
    }

    private func pairKey(for style: CellStyle, mode: ColorMode) -> ColorPairKey {
        guard mode != .monochrome, capability.colorCount > 0 else { return .terminalDefault }
        return ColorPairKey(
            foreground: capability.colorNumber(for: style.foreground, mode: mode, isBackground: false),
            background: capability.colorNumber(for: style.background, mode: mode, isBackground: true)
        )
    }

    private static func attributes(for style: CellStyle) -> attr_t {
        var attributes: attr_t = 0
        if style.bold { attributes |= cncurses_attribute_bold() }
        if style.dim { attributes |= cncurses_attribute_dim() }
        if style.underline { attributes |= cncurses_attribute_underline() }
        if style.reverse { attributes |= cncurses_attribute_reverse() }
        return attributes
    }
}
