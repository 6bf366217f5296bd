import Testing

@testable import TerminalBackend

@Suite struct ColorPairTableTests {
    private let red = ColorPairKey(foreground: 196, background: -1)
    private let green = ColorPairKey(foreground: 46, background: -1)
    private let blue = ColorPairKey(foreground: 21, background: 16)
    private let grey = ColorPairKey(foreground: 244, background: 16)

    @Test func numbersAreReusedAcrossFrames() {
        var table = ColorPairTable(limit: 4)
        let first = table.assign([red, green])
        // Sorted by colour numbers: green (46) before red (196).
        #expect(first.definitions.map(\.number) == [1, 2])
        #expect(first.definitions.map(\.key) == [green, red])
        #expect(!first.wasReset)
        let second = table.assign([red, blue, .terminalDefault])
        #expect(second.definitions.map(\.number) == [3])
        #expect(!second.wasReset)
        #expect(table.number(for: red) == 2)
        #expect(table.number(for: blue) == 3)
        #expect(table.number(for: .terminalDefault) == 0)
    }

    @Test func aFullTableStartsOver() {
        var table = ColorPairTable(limit: 4)
        _ = table.assign([red, green, blue])
        let next = table.assign([grey, red])
        #expect(next.wasReset)
        #expect(next.definitions.map(\.key) == [red, grey])
        #expect(table.number(for: red) == 1)
        #expect(table.number(for: grey) == 2)
        #expect(table.number(for: green) == 0)
    }

    @Test func excessPairsInOneFrameFallBackToDefault() {
        var table = ColorPairTable(limit: 3)
        let frame = table.assign([red, green, blue, grey])
        #expect(frame.definitions.count == 2)
        #expect(!frame.wasReset)
        // Sorted by colour numbers, blue (21) and green (46) come first and get the two pairs.
        let numbered = [red, green, blue, grey].filter { table.number(for: $0) != 0 }
        #expect(numbered == [green, blue])
    }
}
