/// Small drawing helpers over `CellGrid`, all clipped.
extension CellGrid {
    /// A frame around `rect` with an optional title in its top edge.
    mutating func box(_ rect: Rect, border: Theme.Border = Theme.lightBorder, style: CellStyle = .plain,
                      title: String? = nil, titleStyle: CellStyle? = nil) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let (x0, y0, x1, y1) = (rect.x, rect.y, rect.maxX - 1, rect.maxY - 1)
        for x in (x0 + 1)..<x1 {
            self[x, y0] = Cell(border.horizontal, style: style)
            self[x, y1] = Cell(border.horizontal, style: style)
        }
        for y in (y0 + 1)..<y1 {
            self[x0, y] = Cell(border.vertical, style: style)
            self[x1, y] = Cell(border.vertical, style: style)
        }
        self[x0, y0] = Cell(border.topLeft, style: style)
        self[x1, y0] = Cell(border.topRight, style: style)
        self[x0, y1] = Cell(border.bottomLeft, style: style)
        self[x1, y1] = Cell(border.bottomRight, style: style)
        if let title, rect.width > 4 {
            put(" " + Format.fit(title, rect.width - 4) + " ", x: x0 + 1, y: y0, style: titleStyle ?? style,
                clip: Rect(x: x0 + 1, y: y0, width: rect.width - 2, height: 1))
        }
    }

    /// Text clipped to `rect`'s row `row` (relative), starting at its left edge plus `dx`.
    @discardableResult
    mutating func line(_ text: String, in rect: Rect, row: Int, dx: Int = 0, style: CellStyle = .plain) -> Int {
        guard row >= 0, row < rect.height else { return rect.x + dx }
        return put(text, x: rect.x + dx, y: rect.y + row, style: style, clip: rect)
    }

    /// Sets the style of the cells of `rect` without changing their characters.
    mutating func restyle(_ rect: Rect, _ transform: (inout CellStyle) -> Void) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX {
                var cell = self[x, y]
                transform(&cell.style)
                self[x, y] = cell
            }
        }
    }
}
