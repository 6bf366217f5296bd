import ShuffleEngine

/// Per-step timing over repeated passes (median, min, max, share, MACs, GMAC/s, bytes), sortable,
/// and totals by op type with time share beside multiply-add share.
struct ProfileView {
    let screen: Screen

    /// One table column: title, width, right-aligned, and its text for a step.
    struct Column {
        var title: String
        var width: Int
        var text: (StepProfile) -> String
    }

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
        var summary = " \(report.passes) passes · pass median \(Format.time(report.passMedian)) (min \(Format.time(report.passMinimum)), max \(Format.time(report.passMaximum)))"
        summary += " · \(Format.count(report.totalMultiplyAdds)) MACs · sort: \(screen.state.profileSort.title) (o)"
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

    private func columns(width: Int, maxShare: Double) -> [Column] {
        let mono = screen.mono
        let optional: [(priority: Int, column: Column)] = [
            (0, Column(title: "median", width: 8) { Format.time($0.median) }),
            (1, Column(title: "share", width: 12) { Format.right(Format.percent($0.share), 5) + " " + Format.bar(maxShare > 0 ? $0.share / maxShare : 0, width: 6, ascii: mono) }),
            (2, Column(title: "min", width: 8) { Format.time($0.minimum) }),
            (3, Column(title: "max", width: 8) { Format.time($0.maximum) }),
            (4, Column(title: "MACs", width: 7) { $0.multiplyAdds > 0 ? Format.count($0.multiplyAdds) : "–" }),
            (5, Column(title: "GMAC/s", width: 7) { $0.multiplyAdds > 0 ? Format.value(Float($0.gigaMultiplyAddsPerSecond)) : "–" }),
            (6, Column(title: "read", width: 9) { Format.bytes($0.bytesRead) }),
            (7, Column(title: "written", width: 9) { Format.bytes($0.bytesWritten) }),
            (8, Column(title: "op", width: 9) { $0.kind }),
        ]
        var rest = width - 22
        var chosen: Set<Int> = []
        for entry in optional where entry.column.width + 1 <= rest {
            chosen.insert(entry.priority)
            rest -= entry.column.width + 1
        }
        // Display order: op, median, min, max, share, MACs, GMAC/s, read, written.
        let order = [8, 0, 2, 3, 1, 4, 5, 6, 7]
        return order.filter(chosen.contains).compactMap { p in optional.first { $0.priority == p }?.column }
    }

    private func drawSteps(_ grid: inout CellGrid, _ rect: Rect, report: ProfileReport) {
        guard rect.height >= 2 else { return }
        let rows = ProfileView.sorted(report.steps, by: screen.state.profileSort)
        let maxShare = report.steps.map(\.share).max() ?? 0
        let columns = columns(width: rect.width, maxShare: maxShare)
        let nameWidth = rect.width - 1 - columns.reduce(0) { $0 + $1.width + 1 }
        var header = " " + Format.left("step", nameWidth)
        for column in columns { header += " " + Format.right(column.title, column.width) }
        grid.line(header, in: rect, row: 0, style: CellStyle(bold: true, underline: true))
        let visible = rect.height - 1
        let currentRow = rows.firstIndex { $0.index == screen.state.current } ?? 0
        let top = max(0, min(rows.count - visible, currentRow - visible / 3))
        for (offset, step) in rows.dropFirst(top).prefix(visible).enumerated() {
            var text = (step.index == screen.state.current ? "▶" : " ") + Format.left(step.name, nameWidth)
            for column in columns { text += " " + Format.right(column.text(step), column.width) }
            let y = 1 + offset
            var style = CellStyle.plain
            if !screen.mono, maxShare > 0, step.share / maxShare >= 0.15 {
                style = CellStyle(foreground: Theme.black, background: Theme.heat(step.share / maxShare))
            }
            // Plainly reversed, like the step list's current row.
            if step.index == screen.state.current { style = CellStyle(bold: true, reverse: true) }
            grid.fill(Rect(x: rect.x, y: rect.y + y, width: rect.width, height: 1), style: style)
            grid.line(text, in: rect, row: y, style: style)
        }
    }

    private func drawCategories(_ grid: inout CellGrid, _ rect: Rect, report: ProfileReport) {
        guard rect.height >= 2 else { return }
        // 34 columns of text and 24 of percentages around the three bars: time, multiply-adds and
        // memory access (the v2 paper's point: time follows memory traffic as much as FLOPs).
        let barWidth = max(4, min(20, (rect.width - 58) / 3))
        grid.line(" " + Format.left("op type", 15) + Format.right("steps", 6) + Format.right("time", 10) + "  "
                  + Format.left("time share", barWidth + 8) + Format.left("MAC share", barWidth + 8) + "mem access share",
                  in: rect, row: 0, style: CellStyle(bold: true, underline: true))
        for (offset, category) in report.categories.enumerated() {
            var x = grid.line(" " + Format.left(category.category.title, 15) + Format.right("\(category.stepCount)", 6)
                              + Format.right(Format.time(category.seconds), 10) + "  ", in: rect, row: offset + 1)
            x = grid.put(Format.bar(category.timeShare, width: barWidth, ascii: screen.mono), x: x, y: rect.y + offset + 1,
                         style: screen.mono ? .plain : .foreground(Theme.heat(0.8)), clip: rect)
            x = grid.put(Format.right(Format.percent(category.timeShare), 6) + "  ", x: x, y: rect.y + offset + 1, clip: rect)
            x = grid.put(Format.bar(category.multiplyAddShare, width: barWidth, ascii: screen.mono), x: x, y: rect.y + offset + 1,
                         style: screen.mono ? .plain : .foreground(Theme.accent), clip: rect)
            x = grid.put(Format.right(Format.percent(category.multiplyAddShare), 6) + "  ", x: x, y: rect.y + offset + 1, clip: rect)
            x = grid.put(Format.bar(category.memoryAccessShare, width: barWidth, ascii: screen.mono), x: x, y: rect.y + offset + 1,
                         style: screen.mono ? .plain : .foreground(Theme.heat(0.3)), clip: rect)
            grid.put(Format.right(Format.percent(category.memoryAccessShare), 6), x: x, y: rect.y + offset + 1, clip: rect)
        }
    }
}
