import ShuffleEngine

/// Feature reuse: for every channel of each unit's output, how many units ago it was last
/// computed. In ShuffleNet v2 half of every stride-1 unit's channels pass straight through, so
/// features are reused by the next units and that reuse fades with distance (the v2 paper's
/// Figure 4); in v1 the residual add recomputes every channel in every unit.
struct ReuseView {
    let screen: Screen
    /// Ages from 0 to this are told apart; older ones share the last bucket.
    static let maximumAge = 5

    func draw(_ grid: inout CellGrid, _ rect: Rect) {
        let reuse = screen.network.reuse
        let title = HeaderView.firstFitting(
            [" feature reuse · units ago each channel was last computed (0: in this unit)",
             " feature reuse · units since each channel was computed", " feature reuse"],
            width: rect.width) { $0.count }
        grid.line(title, in: rect, row: 0, style: .bold)
        drawLegend(&grid, rect, row: 1)
        let current = screen.state.current
        var row = 3
        if let ages = reuse.ages(at: current), let node = screen.node(current) {
            let line = HeaderView.firstFitting(
                [" \(node.name) · \(ages.count) channels · " + Self.summary(ages, long: true),
                 " \(node.name) · " + Self.summary(ages, long: false), " " + Self.summary(ages, long: false)],
                width: rect.width) { $0.count }
            grid.line(line, in: rect, row: row, style: .bold)
            row = drawStrip(&grid, rect, top: row + 1, ages: ages, rows: 2) + 1
        } else {
            grid.line(" this step has no channel planes", in: rect, row: row, style: .dimmed)
            row += 2
        }
        guard row < rect.height else { return }
        // As many age columns as fit beside the name and mean, each 5 wide; the bar takes the rest.
        let nameWidth = min(24, max(12, rect.width / 3))
        let ageColumns = max(0, min(Self.maximumAge + 1, (rect.width - nameWidth - 8) / 5))
        let oldest = ageColumns - 1
        var header = Format.left(" unit output", nameWidth) + Format.right("mean", 6) + "  "
        header += (0..<ageColumns).map { Format.right($0 == oldest ? "\($0)+" : "\($0)", 5) }.joined()
        if rect.width - header.count >= 18 { header += "  channels by age" }
        grid.line(header, in: rect, row: row, style: .dimmed)
        row += 1
        let currentUnit = reuse.unitIndex[safe: current]
        for index in reuse.unitOutputs {
            guard row < rect.height, let ages = reuse.ages(at: index), let node = screen.node(index) else { continue }
            let here = reuse.unitIndex[safe: index] == currentUnit
            let histogram = FeatureReuse.histogram(ages, maximum: Self.maximumAge)
            let shown = ageColumns > 0 ? FeatureReuse.histogram(ages, maximum: oldest) : []
            let mean = Double(ages.reduce(0, +)) / Double(max(1, ages.count))
            let unit = node.place.unit.map { node.place.section + "." + $0 } ?? node.name
            let name = Format.fit((here ? "▶" : " ") + unit, nameWidth)
            let text = Format.left(name, nameWidth) + Format.right(String(format: "%.2f", mean), 6) + "  "
                + shown.map { Format.right(Format.percent($0), 5) }.joined()
            let end = grid.line(text, in: rect, row: row, style: here ? .bold : .plain)
            drawBars(&grid, Rect(x: end + 2, y: rect.y + row, width: rect.maxX - end - 2, height: 1), histogram: histogram)
            row += 1
        }
    }

    /// `mean age 1.40 units · 50% computed here` (long) or `mean 1.40 · 50% new`.
    static func summary(_ ages: [Int], long: Bool) -> String {
        let mean = Double(ages.reduce(0, +)) / Double(max(1, ages.count))
        let fresh = Double(ages.filter { $0 == 0 }.count) / Double(max(1, ages.count))
        return long
            ? String(format: "mean age %.2f units · ", mean) + Format.percent(fresh) + " computed here"
            : String(format: "mean %.2f · ", mean) + Format.percent(fresh) + " new"
    }

    /// Colour of an age: the newest brightest.
    func cell(age: Int) -> Cell {
        let t = 1 - Float(min(age, Self.maximumAge)) / Float(Self.maximumAge)
        if screen.mono { return Cell(Theme.rampCharacter(t)) }
        return Cell("█", style: CellStyle(foreground: screen.mapColor(t, signed: false)))
    }

    private func drawLegend(_ grid: inout CellGrid, _ rect: Rect, row: Int) {
        var x = grid.line(" age ", in: rect, row: row, style: .dimmed)
        for age in 0...Self.maximumAge {
            if x < rect.maxX { grid[x, rect.y + row] = cell(age: age) }
            x = grid.put(age == Self.maximumAge ? "\(age)+ " : "\(age) ", x: x + 1, y: rect.y + row, style: .dimmed, clip: rect)
        }
    }

    /// Channels in order as age cells, wrapped over at most `rows` rows (sampled evenly when more
    /// channels than cells); returns the next free row.
    private func drawStrip(_ grid: inout CellGrid, _ rect: Rect, top: Int, ages: [Int], rows: Int) -> Int {
        let width = max(1, rect.width - 2)
        let cells = min(ages.count, width * rows)
        for i in 0..<cells {
            let channel = i * ages.count / max(1, cells)
            let y = top + i / width
            guard y < rect.height else { break }
            grid[rect.x + 1 + i % width, rect.y + y] = cell(age: ages[channel])
        }
        return top + (cells + width - 1) / width
    }

    /// The histogram as one bar split by age, coloured like the strip.
    private func drawBars(_ grid: inout CellGrid, _ area: Rect, histogram: [Double]) {
        guard area.width > 0 else { return }
        var x = area.x
        var filled = 0.0
        for (age, fraction) in histogram.enumerated() {
            filled += fraction
            let end = area.x + Int((filled * Double(area.width)).rounded())
            while x < min(end, area.maxX) {
                grid[x, area.y] = cell(age: age)
                x += 1
            }
        }
    }
}
