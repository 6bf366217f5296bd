import Foundation
import ShuffleEngine

/// Outputs without a spatial map (the global pool, the logits): the largest values as a sorted
/// bar list with labels (classes and softmax probabilities for the logits, channels and their
/// groups for the pool), bars drawn from a zero axis so negative values point left; below, a
/// full-width strip of every value in index order around a zero line. No colour scale is
/// involved, so no colour legend is shown.
struct VectorView {
    let screen: Screen

    func draw(_ grid: inout CellGrid, _ area: Rect, analysis: LayerAnalysis) {
        guard let output = screen.run.output(screen.state.current), area.height >= 4 else { return }
        let values = Array(output.storage.prefix(output.shape.item))
        let isLogits = screen.state.current == screen.network.logitsIndex
        let stripHeight = max(3, min(10, area.height / 3))
        let listHeight = area.height - stripHeight - 1
        drawTop(&grid, Rect(x: area.x, y: area.y, width: area.width, height: listHeight), values: values,
                analysis: analysis, isLogits: isLogits)
        let strip = Rect(x: area.x, y: area.y + listHeight, width: area.width, height: stripHeight + 1)
        drawStrip(&grid, strip, values: values, analysis: analysis)
    }

    /// Which group a value belongs to (for its colour), 0 when the layer is one band.
    private func group(of index: Int, _ analysis: LayerAnalysis) -> Int { analysis.groups > 1 ? analysis.group(of: index) : 0 }

    /// The largest values, sorted, one row each: rank, label, value, bar from zero.
    private func drawTop(_ grid: inout CellGrid, _ area: Rect, values: [Float], analysis: LayerAnalysis, isLogits: Bool) {
        guard area.height >= 2, !values.isEmpty else { return }
        let count = min(values.count, area.height - 1, 10)
        let top = VectorView.topIndices(values, count: count)
        let probabilities = isLogits ? VectorView.softmax(values) : []
        let labels = screen.session.setup.labels
        var heading = " top \(count) of \(values.count) by value"
        if isLogits && !screen.session.setup.isTrained { heading += " (untrained weights: classes are arbitrary)" }
        grid.line(Format.fit(heading, area.width), in: area, row: 0, style: .bold)
        let low = min(0, values.min() ?? 0), high = max(0, values.max() ?? 0)
        let labelOf: (Int) -> String = { index in
            if isLogits { return "\(index) " + (labels?[safe: index] ?? "class \(index)") }
            return analysis.groups > 1 ? "ch \(index) (group \(analysis.group(of: index) + 1))" : "ch \(index)"
        }
        let rankWidth = "\(count).".count
        let valueWidth = top.map { Format.value(values[$0]).count }.max() ?? 5
        let probabilityWidth = isLogits ? 8 : 0
        let labelWidth = min(34, top.map { labelOf($0).count }.max() ?? 8)
        let barWidth = area.width - (1 + rankWidth + 1 + labelWidth + 1 + valueWidth + 1 + probabilityWidth + 1)
        for (rank, index) in top.enumerated() {
            var text = " " + Format.right("\(rank + 1).", rankWidth) + " " + Format.left(labelOf(index), labelWidth)
            text += " " + Format.right(Format.value(values[index]), valueWidth)
            if isLogits { text += "  p " + Format.right(Format.percent(Double(probabilities[safe: index] ?? 0)), 4) }
            let x = grid.line(text + " ", in: area, row: rank + 1)
            guard barWidth >= 6 else { continue }
            let bar = VectorView.signedBar(values[index], low: low, high: high, width: barWidth, ascii: screen.mono)
            grid.put(bar, x: x, y: area.y + rank + 1, style: screen.groupStyle(group(of: index, analysis)), clip: area)
        }
    }

    /// A bar of `width` cells with the zero axis at its place between `low` ≤ 0 ≤ `high`:
    /// positive values fill right of it, negative ones left.
    static func signedBar(_ value: Float, low: Float, high: Float, width: Int, ascii: Bool) -> String {
        let span = max(high - low, 1e-12)
        let zero = Int((Float(width - 1) * (-low) / span).rounded())
        let end = value.isFinite ? Int((Float(width - 1) * (value - low) / span).rounded()) : zero
        let fill: Character = ascii ? "#" : "█", axis: Character = ascii ? "|" : "│"
        return String((0..<width).map { column in
            if column == zero { return axis }
            return (min(zero, end)...max(zero, end)).contains(column) ? fill : (ascii ? "." : " ")
        })
    }

    /// Every value in index order: each column the values it covers, drawn from the zero line
    /// up to their largest and down to their smallest (eighth blocks), coloured by group.
    private func drawStrip(_ grid: inout CellGrid, _ area: Rect, values: [Float], analysis: LayerAnalysis) {
        guard area.height >= 3, area.width >= 10, !values.isEmpty else { return }
        let columns = min(area.width - 1, values.count)
        let bins = Thumbnails.bins(count: columns, over: values.count)
        let low = min(0, values.min() ?? 0), high = max(0, values.max() ?? 0)
        let perColumn = Double(values.count) / Double(columns)
        let caption = " all \(values.count) values in order (\(perColumn > 1.05 ? String(format: "%.1f a column, ", perColumn) : "")highest and lowest of each) · \(Format.value(low)) to \(Format.value(high)) · ─ zero"
        grid.line(HeaderView.firstFitting([caption, " all \(values.count) values · ─ zero", " all values"], width: area.width) { $0.count },
                  in: area, row: 0, style: .dimmed)
        let plot = Rect(x: area.x + 1, y: area.y + 1, width: columns, height: area.height - 1)
        let eighths = plot.height * 8
        let span = max(high - low, 1e-12)
        // Eighths from the bottom where zero lies.
        let zero = Int((Float(eighths) * (-low) / span).rounded())
        let up: [Character] = screen.mono ? [" ", ".", ".", ":", ":", "|", "|", "|", "#"] : [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        for (column, bin) in bins.enumerated() {
            let slice = bin.map { values[$0] }.filter(\.isFinite)
            let top = Int((Float(eighths) * ((slice.max() ?? 0) - low) / span).rounded())
            let bottom = Int((Float(eighths) * ((slice.min() ?? 0) - low) / span).rounded())
            let from = min(zero, bottom), to = max(zero, top)
            let style = screen.groupStyle(group(of: bin.lowerBound, analysis))
            for row in 0..<plot.height {
                let cellBottom = (plot.height - 1 - row) * 8, cellTop = cellBottom + 8
                let filledTop = min(cellTop, to), filledBottom = max(cellBottom, from)
                var character: Character = " "
                if filledTop > filledBottom {
                    // A cell filled from its bottom shows a rising block; one hanging from zero
                    // shows full (the strip is coarse there by at most one cell).
                    character = filledBottom == cellBottom ? up[min(8, filledTop - cellBottom)] : up[8]
                } else if zero >= cellBottom && zero < cellTop {
                    character = screen.mono ? "-" : "─"
                }
                grid[plot.x + column, plot.y + row] = Cell(character, style: character == "─" || character == "-" ? .dimmed : style)
            }
        }
    }

    static func softmax(_ values: [Float]) -> [Float] {
        guard let m = values.max() else { return [] }
        let exps = values.map { Foundation.exp(Double($0 - m)) }
        let total = exps.reduce(0, +)
        return exps.map { Float($0 / total) }
    }

    /// Indices of the `count` largest values, largest first (ties: lower index first).
    static func topIndices(_ values: [Float], count: Int) -> [Int] {
        Array(values.indices.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }.prefix(count))
    }
}
