import Foundation
import ShuffleEngine

/// Compare mode's main view: the first divergent step, the current step's errors, heatmaps of
/// A, B and A − B for the selected channel, and an error bar per channel group.
///
/// A and B share one colour scale (diverging and symmetric when either is signed); A − B has its
/// own, diverging around zero. Bars are logarithmic: empty at max_rel ≤ 1e-8, full at ≥ 1.
struct CompareView {
    let screen: Screen

    func draw(_ grid: inout CellGrid, _ rect: Rect) {
        guard rect.height >= 4 else { return }
        let session = screen.session
        grid.box(rect, style: .dimmed, title: "compare · A: this run · B: \(session.comparisonLabel)", titleStyle: .bold)
        let inner = rect.inset(by: 1)
        guard let data = session.comparison else {
            grid.line("running both passes…", in: inner, row: 0, style: .dimmed)
            return
        }
        let state = screen.state
        grid.line(Self.firstDivergentText(data, network: screen.network), in: inner, row: 0, style: .bold)
        let name = screen.currentName
        guard let metrics = data.metrics[safe: state.current] ?? nil, let a = session.normal.output(state.current),
              let b = data.outputs[safe: state.current] ?? nil
        else {
            grid.line("\(name): no counterpart in B", in: inner, row: 1)
            return
        }
        grid.line("\(name): " + Self.metricsText(metrics), in: inner, row: 1)
        let bands = data.bandMetrics[safe: state.current] ?? []
        let barRows = bands.count > 1 ? min(bands.count + 1, max(0, inner.height - 8)) : 0
        let mapArea = Rect(x: inner.x, y: inner.y + 2, width: inner.width, height: max(0, inner.height - 2 - barRows))
        let used = drawMaps(&grid, mapArea, a: a, b: b)
        if barRows > 1 {
            let bars = Rect(x: inner.x, y: mapArea.y + used, width: inner.width, height: barRows)
            grid.line("max_rel per group (bars: log scale, 1e-8 … 1)", in: bars, row: 0, style: CellStyle(underline: true))
            drawBars(&grid, Rect(x: bars.x, y: bars.y + 1, width: bars.width, height: barRows - 1), bands: bands)
        }
    }

    /// `first divergent: stage2.unit1.shuffle (step 7) · max_rel 1.00e+00` or that none diverges.
    static func firstDivergentText(_ data: ComparisonData, network: NetworkContext) -> String {
        guard let index = data.firstDivergent, let metrics = data.metrics[index] else {
            return "no step diverges: max_rel ≤ \(short(ComparisonData.tolerance)) everywhere"
        }
        return "first divergent: \(network.node(index)?.name ?? "?") (step \(index + 1)) · max_rel \(short(metrics.maxRel))"
    }

    /// For the header: `first divergent vs B: stage2.unit1.shuffle` (short: `diverges at …`).
    static func headerText(_ data: ComparisonData?, network: NetworkContext, short: Bool) -> String {
        guard let data else { return "comparing…" }
        guard let index = data.firstDivergent, let name = network.node(index)?.name else {
            return short ? "no divergence" : "no step diverges from B"
        }
        return (short ? "diverges at " : "first divergent vs B: ") + name
    }

    static func metricsText(_ m: ErrorMetrics) -> String {
        let sqnr = m.sqnrDecibels.isFinite ? String(format: "%.1f dB", m.sqnrDecibels) : "inf"
        return "max|Δ| \(short(m.maxAbs)) · max_rel \(short(m.maxRel)) · cos \(String(format: "%.6f", m.cosine)) · SQNR \(sqnr)"
    }

    static func short(_ value: Double) -> String {
        value == 0 ? "0" : (value.isFinite ? String(format: "%.2e", value) : "\(value)")
    }

    // MARK: Maps

    /// The selected channel's plane of A, B and A − B side by side; a vector step (1×1 planes)
    /// is laid out as a near-square grid of all its channels instead.
    /// Returns the rows used.
    @discardableResult
    private func drawMaps(_ grid: inout CellGrid, _ area: Rect, a: Tensor, b: Tensor) -> Int {
        guard area.height >= 2, area.width >= 12 else { return 0 }
        let plane = Self.plane(a, channel: screen.state.channel)
        let other = Self.plane(b, channel: screen.state.channel)
        let difference = zip(plane.values, other.values).map { $0 - $1 }
        let width = (area.width - 2) / 3
        let signed = (plane.values + other.values).contains { $0 < 0 }
        let low = signed ? 0 : min(plane.values.min() ?? 0, other.values.min() ?? 0)
        let high = max(plane.values.map(abs).max() ?? 0, other.values.map(abs).max() ?? 0)
        let spread = difference.map(abs).max() ?? 0
        let label = a.shape.plane > 1 ? "ch \(screen.state.channel)" : "all \(a.shape.c)"
        let maps: [(String, [Float], (Float) -> Float, Bool)] = [
            ("A \(label)", plane.values, { Self.normalise($0, low: low, high: high, signed: signed) }, signed),
            ("B \(label)", other.values, { Self.normalise($0, low: low, high: high, signed: signed) }, signed),
            ("A − B ±\(Format.value(spread))", difference, { Self.normalise($0, low: 0, high: spread, signed: true) }, true),
        ]
        var used = 0
        for (i, map) in maps.enumerated() {
            let box = Rect(x: area.x + i * (width + 1), y: area.y, width: width, height: area.height)
            grid.line(Format.fit(map.0, width), in: box, row: 0, style: CellStyle(underline: true))
            let rows = drawPlane(&grid, Rect(x: box.x, y: box.y + 1, width: width, height: box.height - 1),
                                 values: map.1, rows: plane.rows, columns: plane.columns, normalise: map.2, signed: map.3)
            used = max(used, rows + 2)
        }
        return min(area.height, used)
    }

    /// Values of one channel as rows × columns (or every channel of a vector as a square-ish grid).
    static func plane(_ tensor: Tensor, channel: Int) -> (values: [Float], rows: Int, columns: Int) {
        let shape = tensor.shape
        if shape.plane > 1 {
            let c = max(0, min(shape.c - 1, channel))
            return (Array(tensor.plane(channel: c)), shape.h, shape.w)
        }
        let values = Array(tensor.storage.prefix(shape.item))
        let columns = max(1, Int(Double(values.count).squareRoot().rounded(.up)))
        let rows = (values.count + columns - 1) / columns
        return (values + Array(repeating: 0, count: rows * columns - values.count), rows, columns)
    }

    /// 0…1 on the map: symmetric around zero (0.5) when signed, else low…high.
    static func normalise(_ x: Float, low: Float, high: Float, signed: Bool) -> Float {
        if signed { return high > 0 ? 0.5 + 0.5 * x / high : 0.5 }
        return high > low ? (x - low) / (high - low) : 0
    }

    /// Nearest-neighbour scaled into `rect`, two pixel rows per cell ("▀"), aspect kept;
    /// monochrome draws ramp characters.
    /// Returns the cell rows drawn.
    private func drawPlane(_ grid: inout CellGrid, _ rect: Rect, values: [Float], rows: Int, columns: Int,
                           normalise: (Float) -> Float, signed: Bool) -> Int {
        guard rect.width > 0, rect.height > 0, rows > 0, columns > 0 else { return 0 }
        let scale = min(Double(rect.width) / Double(columns), Double(rect.height * 2) / Double(rows))
        let cellsWide = max(1, min(rect.width, Int(Double(columns) * scale)))
        let pixelRows = max(1, min(rect.height * 2, Int(Double(rows) * scale)))
        func value(_ px: Int, _ py: Int) -> Float {
            let x = min(columns - 1, px * columns / cellsWide), y = min(rows - 1, py * rows / pixelRows)
            return normalise(values[y * columns + x])
        }
        for cy in 0..<((pixelRows + 1) / 2) {
            for cx in 0..<cellsWide {
                let top = value(cx, 2 * cy)
                let bottom = 2 * cy + 1 < pixelRows ? value(cx, 2 * cy + 1) : top
                let cell: Cell
                if screen.mono {
                    cell = Cell(Theme.rampCharacter(signed ? abs(top - 0.5) * 2 : top))
                } else {
                    cell = Cell("▀", style: CellStyle(foreground: screen.mapColor(top, signed: signed),
                                                       background: screen.mapColor(bottom, signed: signed)))
                }
                grid[rect.x + cx, rect.y + cy] = cell
            }
        }
        return (pixelRows + 1) / 2
    }

    // MARK: Bars

    private func drawBars(_ grid: inout CellGrid, _ rect: Rect, bands: [ErrorMetrics]) {
        let names = screen.network.layerBands[safe: screen.state.current] ?? []
        let barWidth = max(4, min(30, rect.width - 22))
        for (i, metrics) in bands.prefix(rect.height).enumerated() {
            let name = names[safe: i].map { $0.name.isEmpty ? "all" : $0.name } ?? "g\(i + 1)"
            let mark = metrics.maxRel > ComparisonData.tolerance ? "!" : " "
            let text = mark + Format.left(name, 9) + Format.bar(Self.barFraction(metrics.maxRel), width: barWidth, ascii: screen.mono)
                + " " + Self.short(metrics.maxRel)
            grid.line(text, in: rect, row: i, style: i == screen.state.group ? .bold : .plain)
        }
    }

    /// log10(max_rel) from −8 (empty) to 0 (full).
    static func barFraction(_ maxRel: Double) -> Double {
        guard maxRel > 0 else { return 0 }
        guard maxRel.isFinite else { return 1 }
        return max(0, min(1, (log10(maxRel) + 8) / 8))
    }

    // MARK: Step list

    /// How a step's row is tinted in compare mode: by its relative error on the heat scale once
    /// over the tolerance; nil leaves the row as it is.
    static func listStyle(_ screen: Screen, index: Int) -> CellStyle? {
        guard screen.state.compare, let data = screen.session.comparison, let metrics = data.metrics[safe: index] ?? nil
        else { return nil }
        guard metrics.maxRel > ComparisonData.tolerance else { return .plain }
        if screen.mono { return CellStyle(underline: true) }
        let decades = log10(metrics.maxRel / ComparisonData.tolerance) / 4
        return CellStyle(foreground: Theme.black, background: Theme.heat(max(0.15, min(1, decades.isFinite ? decades : 1))))
    }
}
