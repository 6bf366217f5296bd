/// A foreground/background combination in curses colour numbers (-1: the terminal default).
struct ColorPairKey: Hashable, Comparable, Sendable {
    var foreground: Int32
    var background: Int32

    static let terminalDefault = ColorPairKey(foreground: -1, background: -1)

    static func < (left: ColorPairKey, right: ColorPairKey) -> Bool {
        (left.foreground, left.background) < (right.foreground, right.background)
    }
}

/// Hands out curses colour-pair numbers, reusing them across frames.
///
/// Terminals have a fixed number of pairs (`COLOR_PAIRS`: 64 on 8-colour entries, 65536 on
/// xterm-256color under ncurses 6), while a truecolor heatmap can ask for thousands of
/// combinations. When a frame needs more pairs than remain, the table starts over from 1; pair
/// numbers still on screen then change meaning, so the caller repaints the whole screen. A frame
/// that alone needs more than the terminal has gets the default colours for the excess.
/// (ncurses' own `alloc_pair` recycles the least recently used pair instead, which can redefine
/// a pair still visible in the same frame.)
struct ColorPairTable {
    /// `COLOR_PAIRS`; pair 0 is fixed to the terminal's default colours.
    let limit: Int
    private(set) var numbers: [ColorPairKey: Int32] = [:]
    private var nextNumber: Int32 = 1

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Gives every key in `needed` a number. Returns the pairs to define (`init_extended_pair`)
    /// and whether earlier numbers were redefined, in which case the screen must be repainted.
    mutating func assign(_ needed: Set<ColorPairKey>) -> (definitions: [(number: Int32, key: ColorPairKey)], wasReset: Bool) {
        var missing = needed.filter { $0 != .terminalDefault && numbers[$0] == nil }.sorted()
        var wasReset = false
        if Int(nextNumber) + missing.count > limit {
            wasReset = !numbers.isEmpty
            numbers = [:]
            nextNumber = 1
            missing = needed.filter { $0 != .terminalDefault }.sorted()
        }
        var definitions: [(number: Int32, key: ColorPairKey)] = []
        for key in missing where Int(nextNumber) < limit {
            numbers[key] = nextNumber
            definitions.append((nextNumber, key))
            nextNumber += 1
        }
        return (definitions, wasReset)
    }

    /// The pair number for `key`; 0 (default colours) when it has none.
    func number(for key: ColorPairKey) -> Int32 {
        numbers[key] ?? 0
    }
}
