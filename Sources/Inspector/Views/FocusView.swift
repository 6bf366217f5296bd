import ShuffleEngine

/// The focus view (`f`): one channel, or the mean of its group, at the full resolution the panel
/// allows (half blocks, two pixels a cell) beside the preprocessed input at the same scale. The
/// cursor reads a value and outlines, on the input, the receptive field of the cell under it;
/// `C` overlays the class activation map of a top class instead. Below: the statistics of the
/// channel or group and a histogram.
struct FocusView {
    let screen: Screen

    /// Panel size in pixels for a `width`×`height` cell area and an input of `inputWidth`×`inputHeight`:
    /// two panels side by side with a two-column gap, keeping the input's aspect ratio.
    static func panelSize(width: Int, height: Int, inputWidth: Int, inputHeight: Int) -> (width: Int, height: Int) {
        let byWidth = max(1, (width - 2) / 2)
        let byHeight = max(1, 2 * height * max(1, inputWidth) / max(1, inputHeight))
        let pw = max(1, min(byWidth, byHeight))
        return (pw, max(1, min(2 * height, (pw * inputHeight + inputWidth / 2) / max(1, inputWidth))))
    }

    func draw(_ grid: inout CellGrid, _ area: Rect, analysis: LayerAnalysis) {
        let state = screen.state
        guard let output = screen.run.output(state.current), area.height >= 5, area.width >= 20 else { return }
        let shape = output.shape
        let channels = focusChannels(analysis)
        let map = FocusView.mean(of: output, channels: channels)
        let symmetric = screen.isSymmetric(analysis)
        let (low, high) = scale(map, analysis: analysis, symmetric: symmetric)
        let input = screen.session.setup.input
        let panel = FocusView.panelSize(width: area.width, height: area.height - 3, inputWidth: input.shape.w, inputHeight: input.shape.h)
        let xBins = Thumbnails.bins(count: panel.width, over: shape.w), yBins = Thumbnails.bins(count: panel.height, over: shape.h)
        let cursorColor: TerminalColor = screen.colormap(analysis) == .magma ? .rgb(0, 255, 255) : .rgb(255, 0, 255)
        // Left: the channel (or group mean), each panel pixel the mean of the map cells it covers.
        var left = [Float](repeating: 0, count: panel.width * panel.height)
        for (py, rows) in yBins.enumerated() {
            for (px, columns) in xBins.enumerated() {
                var sum: Float = 0
                for y in rows { for x in columns { sum += map[y * shape.w + x] } }
                left[py * panel.width + px] = (sum / Float(max(1, rows.count * columns.count)) - low) / (high - low)
            }
        }
        let cursorColumns = Set(xBins.indices.filter { xBins[$0].contains(state.cursorX) })
        let cursorRows = Set(yBins.indices.filter { yBins[$0].contains(state.cursorY) })
        let origin = (x: area.x, y: area.y)
        drawPixels(&grid, x: origin.x, y: origin.y, panel: panel) { px, py in
            let t = left[py * panel.width + px]
            if cursorColumns.contains(px) && cursorRows.contains(py) { return (cursorColor, 1) }
            return (screen.mapColor(t, signed: symmetric, x: px, y: py), t)
        }
        // Right: the input, with the receptive field or the class activation map.
        let right = (x: area.x + panel.width + 2, y: area.y)
        let overlay = FocusOverlay(screen: screen, panel: panel)
        let captions = overlay.draw(&grid, at: right, cursorColor: cursorColor) { grid, x, y, panel, pixel in
            drawPixels(&grid, x: x, y: y, panel: panel, pixel: pixel)
        }
        let rows = (panel.height + 1) / 2
        let name = channels.count == 1 ? "ch \(channels.lowerBound)" : "mean of group \(analysis.group(of: state.channel) + 1)"
        let range = channels.count == 1 ? "" : " (ch \(channels.lowerBound)–\(channels.upperBound - 1))"
        let what = HeaderView.firstFitting([name + range + " · \(shape.h)×\(shape.w) at \(panel.height)×\(panel.width) px",
                                           name + range + " · \(shape.h)×\(shape.w)", name + range, name], width: panel.width + 1) { $0.count }
        let value = map[state.cursorY * shape.w + state.cursorX]
        grid.put(Format.fit(what, panel.width + 1), x: area.x, y: area.y + rows, style: .dimmed, clip: area)
        let caption = HeaderView.firstFitting(captions, width: area.maxX - right.x) { $0.count }
        grid.put(Format.fit(caption, area.maxX - right.x), x: right.x, y: area.y + rows, style: .dimmed, clip: area)
        let cursor = "cursor x \(state.cursorX) y \(state.cursorY) = \(Format.value(value))"
        drawStatistics(&grid, area, row: rows + 1, cursor: cursor, values: statisticsValues(output, channels: channels))
    }

    /// The channels shown: the selected one, or its whole group for the group mean.
    private func focusChannels(_ analysis: LayerAnalysis) -> Range<Int> {
        let c = screen.state.channel
        guard screen.state.focusGroupMean else { return c..<(c + 1) }
        return analysis.channels(ofBand: analysis.group(of: c))
    }

    /// `[H, W]`: the mean over `channels` of batch item 0.
    static func mean(of output: Tensor, channels: Range<Int>) -> [Float] {
        let plane = output.shape.plane
        var map = [Float](repeating: 0, count: plane)
        output.storage.withUnsafeBufferPointer { values in
            for c in channels where (c + 1) * plane <= values.count {
                for p in 0..<plane { map[p] += values[c * plane + p] }
            }
        }
        let n = Float(max(1, channels.count))
        return map.map { $0 / n }
    }

    /// The colour scale: the normalisation's range for one channel; a group mean's own range.
    private func scale(_ map: [Float], analysis: LayerAnalysis, symmetric: Bool) -> (Float, Float) {
        let state = screen.state
        if !state.focusGroupMean {
            return analysis.range(for: state.channel, normalization: state.normalization, symmetric: symmetric)
        }
        let low = map.min() ?? 0, high = map.max() ?? 1
        if symmetric { let m = max(abs(low), abs(high)); return m > 0 ? (-m, m) : (-1, 1) }
        return high > low ? (low, high) : (low, low + 1)
    }

    private func statisticsValues(_ output: Tensor, channels: Range<Int>) -> [Float] {
        let plane = output.shape.plane
        let start = channels.lowerBound * plane, end = min(output.storage.count, channels.upperBound * plane)
        return start < end ? Array(output.storage[start..<end]) : []
    }

    /// Draws `panel` pixels at a cell origin, two per cell; `pixel` gives a colour and, for
    /// monochrome, a level 0…1.
    func drawPixels(_ grid: inout CellGrid, x: Int, y: Int, panel: (width: Int, height: Int),
                    pixel: (Int, Int) -> (TerminalColor, Float)) {
        for row in 0..<((panel.height + 1) / 2) {
            for column in 0..<panel.width {
                let top = pixel(column, 2 * row)
                let bottom = 2 * row + 1 < panel.height ? pixel(column, 2 * row + 1) : nil
                if screen.mono {
                    grid[x + column, y + row] = Cell(Theme.rampCharacter((top.1 + (bottom?.1 ?? top.1)) / 2))
                } else {
                    grid[x + column, y + row] = Cell("▀", style: CellStyle(foreground: top.0, background: bottom?.0 ?? .terminalDefault))
                }
            }
        }
    }

    /// Statistics line, then a histogram of the values from their minimum to their maximum.
    private func drawStatistics(_ grid: inout CellGrid, _ area: Rect, row: Int, cursor: String, values: [Float]) {
        let stats = ValueStatistics(values, bins: max(8, min(48, area.width - 32)))
        let parts = [cursor, "min \(Format.value(stats.minimum))", "p1 \(Format.value(stats.percentile1))",
                     "median \(Format.value(stats.median))", "mean \(Format.value(stats.mean))",
                     "p99 \(Format.value(stats.percentile99))", "max \(Format.value(stats.maximum))",
                     "zeros \(Format.percent(Double(stats.zeroFraction)))"]
        var line = ""
        for part in parts where line.count + part.count + 3 <= area.width - 1 { line += (line.isEmpty ? "" : " · ") + part }
        grid.line(" " + line, in: area, row: row, style: .bold)
        let levels: [Character] = screen.mono ? [" ", ".", ":", "-", "=", "+", "*", "#", "@"] : [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let peak = max(1, stats.histogram.max() ?? 1)
        let bars = String(stats.histogram.map { count in levels[count == 0 ? 0 : max(1, Int((Double(count) / Double(peak) * 8).rounded()))] })
        let x = grid.line(" histogram " + Format.value(stats.minimum) + " ", in: area, row: row + 1, style: .dimmed)
        let end = grid.put(bars, x: x, y: area.y + row + 1, style: screen.mono ? .plain : .foreground(Theme.accent), clip: area)
        grid.put(" " + Format.value(stats.maximum), x: end, y: area.y + row + 1, style: .dimmed, clip: area)
    }
}
