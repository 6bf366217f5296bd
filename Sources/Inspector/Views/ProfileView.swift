import ShuffleEngine

/// Per-step timing over repeated passes (median, min, max, share, MACs, GMAC/s, bytes), sortable,
/// and totals by op type with time share beside multiply-add share. Columns are sized from
/// their content and the least important go first on narrow screens (`TableLayout`); the table
/// scrolls to keep the current step in view, and a new sort opens at its top.
struct ProfileView {
    let screen: Screen

    func draw(_ grid: inout CellGrid, _ rect: Rect) {
        let session = screen.session
        guard let report = session.currentProfile else {
            let progress = session.profileProgress
            grid.line(" profiling in the background: pass \(progress?.passes ?? 0)/\(progress?.total ?? session.setup.profilePasses) (one warm-up pass first)",
                      in: rect, row: 0, style: .bold)
            let bar = Format.bar(progress?.fraction ?? 0, width: min(40, rect.width - 4), ascii: screen.mono)
            grid.line(" ▕" + bar + "▏", in: rect, row: 1, style: screen.mono ? .plain : .foreground(Theme.accent))
            grid.line(" keys stay live meanwhile; the table appears after the first measured pass", in: rect, row: 2, style: .dimmed)
            return
        }
        let passes = " \(report.passes) passes · pass median \(Format.time(report.passMedian))"
        let spread = " (min \(Format.time(report.passMinimum)), max \(Format.time(report.passMaximum)))"
        let macs = " · \(Format.count(report.totalMultiplyAdds)) MACs", sort = " · sort: \(screen.state.profileSort.title) (o)"
        let summary = HeaderView.firstFitting([passes + spread + macs + sort, passes + spread + sort, passes + sort, passes],
                                              width: rect.width) { $0.count }
        grid.line(summary, in: rect, row: 0, style: .bold)
        if session.isProfiling, let progress = session.profileProgress {
            grid.line(" still running: pass \(progress.passes)/\(progress.total) " + Format.bar(progress.fraction, width: 20, ascii: screen.mono),
                      in: rect, row: 1, style: .dimmed)
        }
        let categoryRows = report.categories.count + 2
        let table = Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: max(0, rect.height - 3 - categoryRows))
        drawSteps(&grid, table, report: report)
        let totals = Rect(x: rect.x, y: table.maxY + 1, width: rect.width, height: rect.maxY - table.maxY - 1)
        drawCategories(&grid, totals, report: report)
    }

    static func sorted(_ steps: [StepProfile], by sort: ProfileSort) -> [StepProfile] {
        switch sort {
        case .order: return steps
        case .time: return steps.sorted { $0.median != $1.median ? $0.median > $1.median : $0.index < $1.index }
        case .multiplyAdds: return steps.sorted { $0.multiplyAdds != $1.multiplyAdds ? $0.multiplyAdds > $1.multiplyAdds : $0.index < $1.index }
        }
    }

    /// First visible row: graph order keeps the current step a third from the top; a sort
    /// opens at its top and scrolls only as far as needed to keep the current step in view.
    static func firstRow(count: Int, visible: Int, current: Int?, sort: ProfileSort) -> Int {
        guard count > visible, visible > 0 else { return 0 }
        let last = count - visible
        guard let current else { return 0 }
        if sort == .order { return max(0, min(last, current - visible / 3)) }
        return current < visible ? 0 : min(last, current - visible + 1)
    }

    private func drawSteps(_ grid: inout CellGrid, _ rect: Rect, report: ProfileReport) {
        guard rect.height >= 2 else { return }
        let rows = ProfileView.sorted(report.steps, by: screen.state.profileSort)
        let maxShare = report.steps.map(\.share).max() ?? 0
        let mono = screen.mono
        func column(_ title: String, _ priority: Int, _ text: (StepProfile) -> String) -> TableLayout.Column {
            TableLayout.Column(title: title, priority: priority, cells: rows.map(text))
        }
        var name = column("step", -1) { $0.name }
        name.flexible = true; name.alignRight = false; name.minimumWidth = 21
        var kind = column("op", 5) { $0.kind }
        kind.alignRight = false
        let bar = column("", 6) { Format.bar(maxShare > 0 ? $0.share / maxShare : 0, width: 6, ascii: mono) }
        let layout = TableLayout([
            name, kind,
            column("median", 0) { Format.time($0.median) },
            column("min", 2) { Format.time($0.minimum) },
            column("max", 3) { Format.time($0.maximum) },
            column("share", 1) { Format.percent($0.share) }, bar,
            column("MACs", 4) { $0.multiplyAdds > 0 ? Format.count($0.multiplyAdds) : "–" },
            column("GMAC/s", 7) { $0.multiplyAdds > 0 ? Format.value(Float($0.gigaMultiplyAddsPerSecond)) : "–" },
            column("read", 8) { Format.bytes($0.bytesRead) },
            column("written", 9) { Format.bytes($0.bytesWritten) },
        ], width: rect.width - 1 - (rows.count > rect.height - 1 ? ScrollIndicator.width : 0))
        let visible = rect.height - 1
        let currentRow = rows.firstIndex { $0.index == screen.state.current }
        let top = ProfileView.firstRow(count: rows.count, visible: visible, current: currentRow, sort: screen.state.profileSort)
        grid.line(" " + layout.line(nil), in: rect, row: 0, style: CellStyle(bold: true, underline: true))
        for offset in 0..<min(visible, rows.count - top) {
            let row = top + offset
            let step = rows[row]
            let text = (step.index == screen.state.current ? "▶" : " ") + layout.line(row)
            var style = CellStyle.plain
            if !mono, maxShare > 0, step.share / maxShare >= 0.15 {
                style = CellStyle(foreground: Theme.black, background: Theme.heat(step.share / maxShare))
            }
            // Plainly reversed, like the step list's current row.
            if step.index == screen.state.current { style = CellStyle(bold: true, reverse: true) }
            grid.fill(Rect(x: rect.x, y: rect.y + 1 + offset, width: rect.width, height: 1), style: style)
            grid.line(text, in: rect, row: 1 + offset, style: style)
        }
        ScrollIndicator.draw(&grid, x: rect.maxX - 1, top: rect.y + 1, visible: visible, first: top, total: rows.count)
    }

    private func drawCategories(_ grid: inout CellGrid, _ rect: Rect, report: ProfileReport) {
        guard rect.height >= 2 else { return }
        let categories = report.categories
        func column(_ title: String, _ priority: Int, _ text: (CategoryProfile) -> String) -> TableLayout.Column {
            TableLayout.Column(title: title, priority: priority, cells: categories.map(text))
        }
        var type = column("op type", -1) { $0.category.title }
        type.alignRight = false; type.flexible = true; type.minimumWidth = 10
        let table = TableLayout([
            type, column("steps", 3) { "\($0.stepCount)" }, column("time", 0) { Format.time($0.seconds) },
            column("time %", 1) { Format.percent($0.timeShare) }, column("MAC %", 2) { Format.percent($0.multiplyAddShare) },
            // The v2 paper's point: time follows memory traffic as much as multiply-adds.
            column("mem %", 2) { Format.percent($0.memoryAccessShare) },
        ], width: rect.width - 1)
        let spare = rect.width - 1 - table.usedWidth()
        let barWidth = min(20, (spare - 4) / 3)
        let hasBars = barWidth >= 4 && table.columns.count == 6
        let barColumns = [3, 4, 5]
        // Bars after each share: time in the heat colour, MACs in the accent colour, memory access in a cool heat.
        var header = " "
        for (i, (column, width)) in table.columns.enumerated() {
            header += (i > 0 ? " " : "") + (column.alignRight ? Format.right(column.title, width) : Format.left(column.title, width))
            if hasBars && barColumns.contains(i) { header += " " + String(repeating: " ", count: barWidth) }
        }
        grid.line(header, in: rect, row: 0, style: CellStyle(bold: true, underline: true))
        for (row, category) in categories.enumerated() {
            var x = rect.x + 1
            let y = rect.y + row + 1
            for (i, (column, width)) in table.columns.enumerated() {
                let text = column.cells[row]
                x = grid.put((i > 0 ? " " : "") + (column.alignRight ? Format.right(text, width) : Format.left(text, width)),
                             x: x, y: y, clip: rect)
                guard hasBars, barColumns.contains(i) else { continue }
                let share = [category.timeShare, category.multiplyAddShare, category.memoryAccessShare][i - 3]
                let color = [Theme.heat(0.8), Theme.accent, Theme.heat(0.3)][i - 3]
                x = grid.put(" " + Format.bar(share, width: barWidth, ascii: screen.mono), x: x, y: y,
                             style: screen.mono ? .plain : .foreground(color), clip: rect)
            }
        }
    }
}

/// "↑ 12" at the top and "↓ 40" at the bottom of a scrolled list's right edge: how many rows
/// lie above and below what is shown.
enum ScrollIndicator {
    /// Columns to keep free at the right of a list that scrolls.
    static let width = 4

    static func draw(_ grid: inout CellGrid, x: Int, top: Int, visible: Int, first: Int, total: Int) {
        guard total > visible, visible >= 2 else { return }
        let above = first, below = max(0, total - first - visible)
        if above > 0 {
            let text = "↑\(above)"
            grid.put(text, x: x - text.count + 1, y: top, style: .inverted)
        }
        if below > 0 {
            let text = "↓\(below)"
            grid.put(text, x: x - text.count + 1, y: top + visible - 1, style: .inverted)
        }
    }
}
