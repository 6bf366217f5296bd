import Foundation
import ShuffleEngine

/// The step list: sections, units (folded unless current) and steps with op, output shape and
/// time; rows are tinted by their share of the time, the current step is reversed.
struct StepListView {
    let screen: Screen

    func draw(_ grid: inout CellGrid, _ rect: Rect) {
        guard !rect.isEmpty else { return }
        let state = screen.state
        let tree = screen.network.tree
        let searchMatches = state.search.map { InspectorReducer.matches(for: $0.query, in: screen.network) } ?? []
        let searchTarget = state.search.flatMap { searchMatches[safe: $0.selection] }
        let rows = tree.rows(current: state.current, expandAll: state.expandAllUnits, alsoOpen: searchTarget)
        let focus = searchTarget ?? state.current
        let focusRow = rows.firstIndex { if case .step(focus, _) = $0 { return true } else { return false } } ?? 0
        // Keep the focused row about a third from the top once the list is longer than the space.
        let top = max(0, min(rows.count - rect.height, focusRow - rect.height / 3))
        // Tints mark hotspots, so only warm medians may paint them: one cold timing is noise.
        let warm = screen.warmProfile != nil
        let maxDuration = warm ? (0..<screen.network.count).compactMap { screen.stepTime($0)?.seconds }.max() ?? 0 : 0
        let columns = Columns(width: rect.width)

        for (offset, row) in rows.dropFirst(top).prefix(rect.height).enumerated() {
            let y = rect.y + offset
            let line = Rect(x: rect.x, y: y, width: rect.width, height: 1)
            switch row {
            case .section(let s):
                let section = tree.sections[s]
                let time = sum(section.steps)
                let shape = screen.node(section.steps.upperBound - 1).map { Self.shapeText($0.outputShape) } ?? ""
                draw(&grid, line, label: section.name, op: "", shape: shape, time: time, columns: columns, style: .bold)
            case .unit(let s, let u, let expanded):
                let unit = tree.sections[s].units[u]
                let marker = expanded ? "▾ " : "▸ "
                let label = " " + marker + unit.name + (expanded ? "" : " ·\(unit.steps.count)")
                let shape = screen.node(unit.steps.upperBound - 1).map { Self.shapeText($0.outputShape) } ?? ""
                draw(&grid, line, label: label, op: "", shape: shape, time: sum(unit.steps), columns: columns,
                     style: unit.steps.contains(state.current) ? .bold : .plain)
            case .step(let index, let depth):
                guard let node = screen.node(index) else { continue }
                let indent = depth >= 2 ? "    " : " "
                let time = screen.stepTime(index)?.seconds
                var style = CellStyle.plain
                if let time, maxDuration > 0, !screen.mono {
                    let t = time / maxDuration
                    if t >= 0.15 { style = CellStyle(foreground: Theme.black, background: Theme.heat(t)) }
                }
                if !screen.run.hasRun(index) { style.dim = true }
                if let tint = CompareView.listStyle(screen, index: index) { style = tint }
                // The current row is plainly reversed, never tinted: a tinted current row would
                // look less marked than the slow steps around it.
                if index == state.current { style = CellStyle(bold: true, reverse: true) }
                // Markers keep the current row and search hits visible in monochrome text too.
                let marker = index == state.current ? "▶" : index == searchTarget ? "›" : (searchMatches.contains(index) ? "·" : " ")
                draw(&grid, line, label: marker + indent + tree.places[index].label, op: node.op.kind,
                     shape: Self.shapeText(node.outputShape), time: time, columns: columns, style: style)
                if searchMatches.contains(index) { grid.restyle(line) { $0.underline = true } }
            }
        }
        if top > 0 { grid.put("↑", x: rect.maxX - 1, y: rect.y, style: .dimmed) }
        if top + rect.height < rows.count { grid.put("↓", x: rect.maxX - 1, y: rect.maxY - 1, style: .dimmed) }
    }

    /// Which columns fit: the label always; time, then op, then shape as width allows.
    struct Columns {
        var time = 0, op = 0, shape = 0, label = 0
        init(width: Int) {
            var rest = width - 1
            if rest >= 18 { time = 6; rest -= 7 }
            if rest >= 24 { shape = 7; rest -= 8 }
            if rest >= 22 { op = 9; rest -= 10 }
            label = max(1, rest)
        }
    }

    private func draw(_ grid: inout CellGrid, _ line: Rect, label: String, op: String, shape: String, time: Double?,
                      columns: Columns, style: CellStyle) {
        var text = Format.left(label, columns.label)
        if columns.op > 0 { text += " " + Format.left(op, columns.op) }
        if columns.shape > 0 { text += " " + Format.right(shape, columns.shape) }
        if columns.time > 0 { text += " " + Format.right(time.map(Self.compactTime) ?? "", columns.time) }
        grid.fill(line, style: style)
        grid.put(text, x: line.x, y: line.y, style: style, clip: line)
    }

    private func sum(_ steps: Range<Int>) -> Double? {
        let times = steps.compactMap { screen.stepTime($0)?.seconds }
        return times.isEmpty ? nil : times.reduce(0, +)
    }

    /// "240×28²" for square maps, "240×28×14" otherwise, "1000" for vectors.
    static func shapeText(_ shape: Shape) -> String {
        if shape.h == 1 && shape.w == 1 { return "\(shape.c)" }
        return shape.h == shape.w ? "\(shape.c)×\(shape.h)²" : "\(shape.c)×\(shape.h)×\(shape.w)"
    }

    /// Time without the space, to fit 7 columns: "812µs", "1.23ms", "12.3ms".
    static func compactTime(_ seconds: Double) -> String {
        Format.time(seconds).replacingOccurrences(of: " ", with: "")
    }
}
