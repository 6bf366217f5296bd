import Inspector
import Testing

@testable import TerminalBackend

@Suite struct ColorCapabilityTests {
    private let direct = ColorCapability(colorCount: 1 << 24, isDirectColor: true)
    private let palette = ColorCapability(colorCount: 256, isDirectColor: false)

    @Test func bestModeFollowsTheColorCount() {
        #expect(ColorCapability(colorCount: 0, isDirectColor: false).bestMode == .monochrome)
        #expect(ColorCapability(colorCount: 8, isDirectColor: false).bestMode == .ansi8)
        #expect(ColorCapability(colorCount: 16, isDirectColor: false).bestMode == .ansi16)
        #expect(ColorCapability(colorCount: 88, isDirectColor: false).bestMode == .ansi16)
        #expect(palette.bestMode == .palette256)
        #expect(direct.bestMode == .truecolor)
    }

    @Test func environment() {
        #expect(palette.selectMode(environment: ["NO_COLOR": "1"], override: nil) == .monochrome)
        #expect(palette.selectMode(environment: ["NO_COLOR": ""], override: nil) == .palette256)
        #expect(direct.selectMode(environment: ["COLORTERM": "truecolor"], override: nil) == .truecolor)
        #expect(direct.selectMode(environment: ["COLORTERM": "24bit"], override: nil) == .truecolor)
        #expect(direct.selectMode(environment: [:], override: nil) == .palette256)
        #expect(palette.selectMode(environment: ["COLORTERM": "truecolor"], override: nil) == .palette256)
        #expect(direct.selectMode(environment: ["COLORTERM": "truecolor", "NO_COLOR": "x"], override: nil) == .monochrome)
    }

    @Test func overrideWinsButIsCapped() {
        #expect(palette.selectMode(environment: [:], override: .ansi16) == .ansi16)
        #expect(palette.selectMode(environment: [:], override: .truecolor) == .palette256)
        #expect(palette.selectMode(environment: ["NO_COLOR": "1"], override: .palette256) == .palette256)
        #expect(direct.selectMode(environment: [:], override: .truecolor) == .truecolor)
        #expect(ColorCapability(colorCount: 8, isDirectColor: false).selectMode(environment: [:], override: .ansi16) == .ansi8)
    }

    @Test func colorNumbersOnPaletteTerminals() {
        #expect(palette.colorNumber(for: .terminalDefault, mode: .palette256, isBackground: false) == -1)
        #expect(palette.colorNumber(for: .rgb(255, 0, 0), mode: .palette256, isBackground: false) == 196)
        #expect(palette.colorNumber(for: .rgb(255, 0, 0), mode: .ansi16, isBackground: true) == 9)
        #expect(palette.colorNumber(for: .rgb(255, 0, 0), mode: .monochrome, isBackground: false) == -1)
        let noDefaults = ColorCapability(colorCount: 8, isDirectColor: false, hasDefaultColors: false)
        #expect(noDefaults.colorNumber(for: .terminalDefault, mode: .ansi8, isBackground: false) == 7)
        #expect(noDefaults.colorNumber(for: .terminalDefault, mode: .ansi8, isBackground: true) == 0)
    }

    @Test func colorNumbersOnDirectColorTerminals() {
        #expect(direct.colorNumber(for: .rgb(255, 0, 0), mode: .truecolor, isBackground: false) == 0xFF0000)
        #expect(direct.colorNumber(for: .rgb(18, 52, 86), mode: .truecolor, isBackground: false) == 0x123456)
        // Below 8 the terminfo entry means ANSI colours; pure black is nudged to (0, 0, 8).
        #expect(direct.colorNumber(for: .rgb(0, 0, 0), mode: .truecolor, isBackground: false) == 8)
        // Palette modes on a direct terminal send the palette entry's RGB, except the ANSI 0...7.
        #expect(direct.colorNumber(for: .rgb(250, 5, 5), mode: .palette256, isBackground: false) == 0xFF0000)
        #expect(direct.colorNumber(for: .rgb(205, 0, 0), mode: .ansi8, isBackground: false) == 1)
        #expect(direct.colorNumber(for: .rgb(92, 92, 255), mode: .ansi16, isBackground: false) == 0x5C5CFF)
    }
}
