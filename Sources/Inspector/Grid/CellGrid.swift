/// A rectangle of cells, origin top-left.
public struct Rect: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var isEmpty: Bool { width <= 0 || height <= 0 }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }

    /// The part of `self` inside `other`.
    public func intersection(_ other: Rect) -> Rect {
        let x0 = max(x, other.x), y0 = max(y, other.y)
        let x1 = min(maxX, other.maxX), y1 = min(maxY, other.maxY)
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// `self` shrunk by `amount` cells on every side.
    public func inset(by amount: Int) -> Rect {
        Rect(x: x + amount, y: y + amount, width: width - 2 * amount, height: height - 2 * amount)
    }
}

/// One terminal cell: a single-column character and its style.
public struct Cell: Hashable, Sendable {
    public var character: Character
    public var style: CellStyle

    public init(_ character: Character = " ", style: CellStyle = .plain) {
        self.character = character
        self.style = style
    }
}

/// Text that ran past the right edge of its area: `kept` was drawn (its last character replaced
/// by "…"), `dropped` was not. Tests read these to prove no number is ever cut.
public struct TextCut: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var kept: String
    public var dropped: String

    /// True when the cut falls inside or right after a number ("2…" of "2.8 %", "12…" of "12 ms").
    public var splitsNumber: Bool {
        guard let last = kept.last else { return false }
        return last.isNumber || ((last == "." || last == ",") && kept.dropLast().last?.isNumber == true)
    }
}

/// An in-memory screen. Views draw into it; a backend blits it to a terminal, and tests compare
/// its text. Every write is clipped, so drawing can never fail or trap, whatever the size.
public struct CellGrid: Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Every text that did not fit its area, in drawing order.
    public private(set) var cuts: [TextCut] = []

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at column `x`, row `y`; reads outside the grid give a blank cell, writes are dropped.
    public subscript(x: Int, y: Int) -> Cell {
        get {
            guard x >= 0, y >= 0, x < width, y < height else { return Cell() }
            return cells[y * width + x]
        }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            cells[y * width + x] = newValue
        }
    }

    /// Writes `text` from (`x`, `y`) to the right, clipped to `clip` (default: the whole grid).
    /// Text that runs past the area's right edge ends in "…" in the last column (trailing spaces
    /// are dropped silently) and is recorded in `cuts`. Returns the column after the last
    /// character written (or that would have been).
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: CellStyle = .plain, clip: Rect? = nil) -> Int {
        let area = (clip ?? bounds).intersection(bounds)
        var column = x
        let rowVisible = y >= area.y && y < area.maxY
        let characters = Array(text)
        for (offset, character) in characters.enumerated() {
            if rowVisible, column >= area.x, column < area.maxX {
                cells[y * width + column] = Cell(character, style: style)
            } else if rowVisible, column >= area.maxX, column > area.x, x < area.maxX {
                let rest = characters[offset...]
                if rest.contains(where: { !$0.isWhitespace }) {
                    let lastColumn = area.maxX - 1
                    let keptCount = max(0, lastColumn - x)
                    cells[y * width + lastColumn] = Cell("…", style: cells[y * width + lastColumn].style)
                    cuts.append(TextCut(
                        x: x, y: y, kept: String(characters.prefix(keptCount)),
                        dropped: String(characters[min(characters.count, keptCount)...])))
                }
                return x + characters.count
            }
            column += 1
        }
        return column
    }

    /// Fills `rect` with `character` in `style`.
    public mutating func fill(_ rect: Rect, character: Character = " ", style: CellStyle = .plain) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX { cells[y * width + x] = Cell(character, style: style) }
        }
    }

    /// The grid as plain text, one line per row, trailing spaces kept (for snapshot tests).
    public var text: String {
        (0..<height).map { row in String(cells[(row * width)..<((row + 1) * width)].map(\.character)) }
            .joined(separator: "\n")
    }
}
