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

        // Each distinct style is resolved once (colour pair, attributes) and cells refer to it by
        // index, so the drawing pass does no hashing: a 200×60 frame is 12,000 cells, and a
        // heatmap gives most of them a style of their own. Neighbours often share a style, which
        // a plain comparison catches before the dictionary.
        var styleIndices: [CellStyle: Int] = [:]
        var resolved: [(key: ColorPairKey, attributes: attr_t)] = []
        var cellStyles = [Int](repeating: 0, count: rows * columns)
        var previous: (style: CellStyle, index: Int)?
        for row in 0..<rows {
            for column in 0..<columns {
                let style = grid[column, row].style
                let index: Int
                if let previous, previous.style == style {
                    index = previous.index
                } else if let known = styleIndices[style] {
                    index = known
                } else {
                    index = resolved.count
                    styleIndices[style] = index
                    resolved.append((pairKey(for: style, mode: mode), Self.attributes(for: style)))
                }
                previous = (style, index)
                cellStyles[row * columns + column] = index
            }
        }
        let assignment = pairs.assign(Set(resolved.map(\.key)))
        for definition in assignment.definitions {
            init_extended_pair(definition.number, definition.key.foreground, definition.key.background)
        }
        if assignment.wasReset { clearok(window, true) }
        let pairNumbers = resolved.map { pairs.number(for: $0.key) }

        werase(window)
        var wideCharacters: [Character: [wchar_t]] = [:]
        var previousCharacter: (character: Character, wide: [wchar_t])?
        var cell = cchar_t()
        for row in 0..<rows {
            for column in 0..<columns {
                let character = grid[column, row].character
                let wide: [wchar_t]
                if let previousCharacter, previousCharacter.character == character {
                    wide = previousCharacter.wide
                } else if let cached = wideCharacters[character] {
                    wide = cached
                } else {
                    let scalars = CellCharacter.scalars(for: character, localeIsUTF8: localeIsUTF8)
                    wide = scalars.map { wchar_t(bitPattern: $0) } + [0]
                    wideCharacters[character] = wide
                }
                previousCharacter = (character, wide)
                let style = cellStyles[row * columns + column]
                var pair = pairNumbers[style]
                // The short pair argument is ignored when the extended (int) pair is passed.
                setcchar(&cell, wide, resolved[style].attributes, 0, &pair)
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
