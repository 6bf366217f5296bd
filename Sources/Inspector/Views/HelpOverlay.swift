/// `?`: every key and what it does, over the frame.
struct HelpOverlay {
    let screen: Screen

    func draw(_ grid: inout CellGrid, _ rect: Rect) {
        let bindings = KeyBindings.all
        let keyWidth = bindings.map(\.keys.count).max() ?? 0
        let lines = bindings.map { Format.left($0.keys, keyWidth) + "  " + $0.action }
        let width = min(rect.width, (lines.map(\.count).max() ?? 0) + 4)
        let height = min(rect.height, lines.count + 2)
        let box = Rect(x: rect.x + (rect.width - width) / 2, y: rect.y + (rect.height - height) / 2, width: width, height: height)
        grid.fill(box)
        grid.box(box, style: .bold, title: "keys · Esc or ? closes")
        let inner = box.inset(by: 1)
        for (row, line) in lines.enumerated() where row < inner.height {
            grid.line(" " + line, in: inner, row: row)
            grid.restyle(Rect(x: inner.x + 1, y: inner.y + row, width: keyWidth, height: 1)) { $0.bold = true }
        }
    }
}
