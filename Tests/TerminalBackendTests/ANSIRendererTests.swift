import Testing
import Inspector

@Suite struct ANSIRendererTests {
    /// "ab" plain, "c" bold red / "x" reversed, "y" on blue, "z" plain.
    private func sampleGrid() -> CellGrid {
        var grid = CellGrid(width: 3, height: 2)
        grid.put("ab", x: 0, y: 0)
        grid.put("c", x: 2, y: 0, style: CellStyle(foreground: .rgb(255, 0, 0), bold: true))
        grid.put("x", x: 0, y: 1, style: CellStyle(reverse: true))
        grid.put("y", x: 1, y: 1, style: CellStyle(background: .rgb(0, 0, 255)))
        grid.put("z", x: 2, y: 1)
        return grid
    }

    @Test func truecolor() {
        #expect(
            ANSIRenderer.render(sampleGrid(), colorMode: .truecolor)
                == "ab\u{1B}[0;1;38;2;255;0;0mc\u{1B}[0m\n\u{1B}[0;7mx\u{1B}[0;48;2;0;0;255my\u{1B}[0mz")
    }

    @Test func palette256() {
        #expect(
            ANSIRenderer.render(sampleGrid(), colorMode: .palette256)
                == "ab\u{1B}[0;1;38;5;196mc\u{1B}[0m\n\u{1B}[0;7mx\u{1B}[0;48;5;21my\u{1B}[0mz")
    }

    @Test func ansi16UsesBrightCodes() {
        // Red (255,0,0) is bright red 9 → 91; blue (0,0,255) is nearest to blue 4 → 44.
        #expect(
            ANSIRenderer.render(sampleGrid(), colorMode: .ansi16)
                == "ab\u{1B}[0;1;91mc\u{1B}[0m\n\u{1B}[0;7mx\u{1B}[0;44my\u{1B}[0mz")
    }

    @Test func ansi8() {
        #expect(
            ANSIRenderer.render(sampleGrid(), colorMode: .ansi8)
                == "ab\u{1B}[0;1;31mc\u{1B}[0m\n\u{1B}[0;7mx\u{1B}[0;44my\u{1B}[0mz")
    }

    @Test func monochromeIsPlainText() {
        #expect(ANSIRenderer.render(sampleGrid(), colorMode: .monochrome) == "abc\nxyz")
    }

    @Test func colorsThatQuantizeAlikeShareOneSequence() {
        var grid = CellGrid(width: 2, height: 1)
        grid.put("A", x: 0, y: 0, style: CellStyle(foreground: .rgb(255, 0, 0)))
        grid.put("B", x: 1, y: 0, style: CellStyle(foreground: .rgb(250, 5, 5)))
        #expect(ANSIRenderer.render(grid, colorMode: .palette256) == "\u{1B}[0;38;5;196mAB\u{1B}[0m")
        #expect(
            ANSIRenderer.render(grid, colorMode: .truecolor)
                == "\u{1B}[0;38;2;255;0;0mA\u{1B}[0;38;2;250;5;5mB\u{1B}[0m")
    }

    @Test func dimUnderlineAndDefaultForeground() {
        var grid = CellGrid(width: 2, height: 1)
        grid.put("d", x: 0, y: 0, style: CellStyle(dim: true))
        grid.put("u", x: 1, y: 0, style: CellStyle(underline: true))
        #expect(ANSIRenderer.render(grid, colorMode: .palette256) == "\u{1B}[0;2md\u{1B}[0;4mu\u{1B}[0m")
    }

    @Test func controlCharactersCannotEscape() {
        var grid = CellGrid(width: 4, height: 1)
        grid[0, 0] = Cell("\u{1B}")
        grid[1, 0] = Cell("\n")
        grid[2, 0] = Cell("\u{9B}")
        grid[3, 0] = Cell("▀")
        #expect(ANSIRenderer.render(grid, colorMode: .monochrome) == "???▀")
    }

    @Test func emptyGrid() {
        #expect(ANSIRenderer.render(CellGrid(width: 0, height: 0), colorMode: .truecolor) == "")
        #expect(ANSIRenderer.render(CellGrid(width: 2, height: 2), colorMode: .truecolor) == "  \n  ")
    }
}
