import Foundation

/// With the ablation on: how the logits change without the shuffle (max |Δ|, cosine) and the top
/// five classes with and without it.
struct AblationPanel {
    let screen: Screen

    /// Largest absolute difference and cosine similarity of two logit vectors.
    static func compare(_ a: [Float], _ b: [Float]) -> (maxDifference: Float, cosine: Double) {
        var maxDifference: Float = 0, dot = 0.0, na = 0.0, nb = 0.0
        for i in 0..<min(a.count, b.count) {
            maxDifference = max(maxDifference, abs(a[i] - b[i]))
            dot += Double(a[i]) * Double(b[i])
            na += Double(a[i]) * Double(a[i])
            nb += Double(b[i]) * Double(b[i])
        }
        let cosine = na > 0 && nb > 0 ? dot / (na.squareRoot() * nb.squareRoot()) : 0
        return (maxDifference, cosine)
    }

    func draw(_ grid: inout CellGrid, _ rect: Rect) {
        guard rect.height >= 3 else { return }
        let style = screen.mono ? CellStyle(bold: true) : CellStyle(foreground: Theme.warning, bold: true)
        grid.box(rect, style: style, title: "shuffle ablation: logits with vs without shuffle (a turns it off)")
        let inner = rect.inset(by: 1)
        guard let with = screen.session.normal.logits, let without = screen.session.ablated?.logits else {
            grid.line("running both passes…", in: inner, row: 0, style: .dimmed)
            return
        }
        let (maxDifference, cosine) = AblationPanel.compare(with, without)
        let topWith = VectorView.topIndices(with, count: 5), topWithout = VectorView.topIndices(without, count: 5)
        let same = topWith.first == topWithout.first ? "top-1 unchanged" : "top-1 changed"
        grid.line("max |Δ| \(Format.value(maxDifference)) · cosine \(String(format: "%.4f", cosine)) · \(same)", in: inner, row: 0, style: .bold)
        let half = inner.width / 2
        let labels = screen.session.setup.labels
        func entry(_ rank: Int, _ index: Int, _ logits: [Float]) -> String {
            Format.left("\(rank + 1). \(index) \(labels?[safe: index] ?? "")", half - 10) + Format.right(Format.value(logits[index]), 8)
        }
        grid.line("with shuffle", in: inner, row: 1, style: CellStyle(underline: true))
        grid.line("without shuffle", in: inner, row: 1, dx: half, style: CellStyle(underline: true))
        for rank in 0..<min(5, inner.height - 2) {
            if let index = topWith[safe: rank] { grid.line(entry(rank, index, with), in: inner, row: rank + 2) }
            if let index = topWithout[safe: rank] { grid.line(entry(rank, index, without), in: inner, row: rank + 2, dx: half) }
        }
    }
}
