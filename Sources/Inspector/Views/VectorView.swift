import Foundation
import ShuffleEngine

/// Outputs without a spatial map (global pool, logits): bars per group, and for the logits the
/// top five classes with their labels and softmax probabilities.
struct VectorView {
    let screen: Screen

    func draw(_ grid: inout CellGrid, _ area: Rect, analysis: LayerAnalysis) {
        guard let output = screen.run.output(screen.state.current) else { return }
        let values = Array(output.storage.prefix(output.shape.item))
        var bars = area
        if screen.state.current == screen.network.logitsIndex {
            let used = drawTopFive(&grid, area, logits: values)
            bars = Rect(x: area.x, y: area.y + used, width: area.width, height: area.height - used)
        }
        let groups = analysis.groups
        let bandHeight = max(3, bars.height / max(1, groups))
        for group in 0..<groups {
            let band = Rect(x: bars.x, y: bars.y + group * bandHeight, width: bars.width, height: min(bandHeight, bars.maxY - (bars.y + group * bandHeight)))
            guard band.height >= 3 else { break }
            let range = analysis.channels(ofBand: group).clamped(to: 0..<values.count)
            let title = groups > 1 ? HeatmapView(screen: screen).bandTitle(group, analysis: analysis)
                : "\(values.count) values · min \(Format.value(analysis.minimum)) · max \(Format.value(analysis.maximum))"
            grid.box(band, border: Theme.groupBorder(group), style: screen.groupStyle(group), title: title)
            drawBars(&grid, band.inset(by: 1), values: Array(values[range]), low: analysis.minimum, high: analysis.maximum, group: group)
        }
    }

    /// Columns of eighth-block bars; each column the mean of the values it covers.
    private func drawBars(_ grid: inout CellGrid, _ inner: Rect, values: [Float], low: Float, high: Float, group: Int) {
        guard !inner.isEmpty, !values.isEmpty else { return }
        let columns = min(inner.width, values.count)
        let bins = Thumbnails.bins(count: columns, over: values.count)
        let base = min(0, low), span = max(high - base, 1e-12)
        let levels: [Character] = screen.mono ? [" ", ".", ":", "|", "|", "|", "#", "#", "#"] : [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let style = screen.groupStyle(group)
        for (column, bin) in bins.enumerated() {
            let mean = bin.reduce(Float(0)) { $0 + values[$1] } / Float(bin.count)
            let scaled = (mean - base) / span * Float(inner.height * 8)
            // Non-finite values (a diverged network) draw as empty bars rather than trap.
            let eighths = scaled.isFinite ? Int(max(0, min(Float(inner.height * 8), scaled)).rounded()) : 0
            for row in 0..<inner.height {
                let fill = max(0, min(8, eighths - row * 8))
                grid[inner.x + column, inner.maxY - 1 - row] = Cell(levels[fill], style: style)
            }
        }
    }

    /// The five largest logits with labels and probabilities; returns the rows used.
    private func drawTopFive(_ grid: inout CellGrid, _ area: Rect, logits: [Float]) -> Int {
        let probabilities = VectorView.softmax(logits)
        let top = VectorView.topIndices(logits, count: 5)
        let labels = screen.session.setup.labels
        var row = 0
        let note = screen.session.setup.isTrained ? "" : "  (untrained weights: classes are arbitrary)"
        grid.line(" top 5 of \(logits.count)" + note, in: area, row: row, style: .bold)
        row += 1
        for (rank, index) in top.enumerated() {
            let label = labels?[safe: index] ?? "class \(index)"
            let p = Double(probabilities[safe: index] ?? 0)
            let text = " \(rank + 1). " + Format.left("\(index) \(label)", max(12, min(34, area.width - 48))) + Format.right(Format.value(logits[index]), 8)
                + "  p " + Format.right(Format.percent(p), 5) + " "
            let x = grid.line(text, in: area, row: row)
            grid.put(Format.bar(p, width: 20, ascii: screen.mono), x: x, y: area.y + row, style: screen.mono ? .plain : .foreground(Theme.accent), clip: area)
            row += 1
        }
        return row + 1
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
