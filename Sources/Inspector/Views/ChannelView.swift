import ShuffleEngine

/// One channel at full resolution (enlarged when small, averaged down only when it cannot fit),
/// with a pixel cursor and the value under it.
struct ChannelView {
    let screen: Screen

    /// How a map of `mapWidth`×`mapHeight` pixels is shown in `columns`×`rows` cells.
    enum Scale: Equatable {
        /// Each pixel `size` columns wide and `size` half-rows tall (square on the screen): a
        /// cell shows the pixels of its upper and lower half with a half block.
        case enlarged(Int)
        /// Each cell two pixels (half blocks), after averaging `factor`×`factor` pixels into one.
        case halfBlocks(factor: Int)
    }

    /// The largest enlargement that fits (up to 16), else the least averaging. With
    /// `wholeCells` (no colour: a cell shows one value) pixels span whole cells.
    static func scale(mapWidth: Int, mapHeight: Int, columns: Int, rows: Int, wholeCells: Bool = false) -> Scale {
        var size = min(16, columns / max(1, mapWidth), 2 * rows / max(1, mapHeight))
        if wholeCells { size -= size % 2 }
        if size >= 2 { return .enlarged(size) }
        var factor = 1
        while (mapWidth + factor - 1) / factor > columns || (mapHeight + factor - 1) / factor > 2 * rows {
            factor += 1
            if factor > max(mapWidth, mapHeight) { break }
        }
        return .halfBlocks(factor: factor)
    }

    func draw(_ grid: inout CellGrid, _ area: Rect, analysis: LayerAnalysis) {
        let state = screen.state
        let shape = analysis.shape
        let c = state.channel
        let group = analysis.group(of: c)
        let origin = screen.network.origins[safe: state.current]?[safe: c]
        var title = "ch \(c) · group \(group + 1)"
        if let origin, analysis.groups > 1 { title += " · carries group \(origin + 1)" }
        title += " · \(shape.h)×\(shape.w) · Tab next channel"
        let frame = Rect(x: area.x, y: area.y, width: area.width, height: area.height - 1)
        grid.box(frame, border: Theme.groupBorder(group), style: screen.groupStyle(group, bold: true), title: title)
        let inner = frame.inset(by: 1)
        guard !inner.isEmpty else { return }
        let scale = ChannelView.scale(
            mapWidth: shape.w, mapHeight: shape.h, columns: inner.width, rows: inner.height, wholeCells: screen.mono)
        let heatmap = HeatmapView(screen: screen)
        switch scale {
        case .enlarged(let size):
            guard let thumbnails = thumbnails(columns: shape.w, pixelRows: shape.h, analysis: analysis) else { return }
            for row in 0..<min(inner.height, (shape.h * size + 1) / 2) {
                // The pixel rows under the cell's upper and lower half.
                let top = 2 * row / size, bottom = (2 * row + 1) / size
                for column in 0..<min(inner.width, shape.w * size) {
                    let upper = thumbnails.value(channel: c, column: column / size, row: top)
                    let cell: Cell
                    if bottom < shape.h {
                        let lower = thumbnails.value(channel: c, column: column / size, row: bottom)
                        cell = heatmap.pixelCell(top: upper, bottom: lower, signed: screen.isSymmetric(analysis),
                                                 x: inner.x + column, y: inner.y + row)
                    } else {
                        // Below the last pixel row: only the upper half is the map.
                        let color = screen.mapColor(upper, signed: screen.isSymmetric(analysis))
                        cell = Cell("▀", style: CellStyle(foreground: color))
                    }
                    grid[inner.x + column, inner.y + row] = cell
                }
            }
            // Brackets at the left and right edge of the cursor's pixel, on its middle row.
            let t = thumbnails.value(channel: c, column: state.cursorX, row: state.cursorY)
            let x = inner.x + state.cursorX * size
            let y = inner.y + (state.cursorY * size + size / 2) / 2
            grid.put("[", x: x, y: y, style: cursorStyle(t, signed: screen.isSymmetric(analysis)), clip: inner)
            grid.put("]", x: x + size - 1, y: y, style: cursorStyle(t, signed: screen.isSymmetric(analysis)), clip: inner)
        case .halfBlocks(let factor):
            let columns = (shape.w + factor - 1) / factor, pixelRows = (shape.h + factor - 1) / factor
            guard let thumbnails = thumbnails(columns: columns, pixelRows: pixelRows + pixelRows % 2, analysis: analysis) else { return }
            heatmap.drawThumbnail(&grid, thumbnails, channel: c, x: inner.x, y: inner.y, clip: inner, signed: screen.isSymmetric(analysis))
            let cx = state.cursorX / factor, cy = state.cursorY / factor
            let t = thumbnails.value(channel: c, column: cx, row: cy)
            grid.put("+", x: inner.x + cx, y: inner.y + cy / 2, style: cursorStyle(t, signed: screen.isSymmetric(analysis)), clip: inner)
        }
        let value = screen.run.output(state.current).map { $0[0, c, state.cursorY, state.cursorX] } ?? 0
        var readout = "x \(state.cursorX) y \(state.cursorY) · value \(Format.value(value))"
        readout += " · ch min \(Format.value(analysis.channelMinimum[safe: c] ?? 0)) max \(Format.value(analysis.channelMaximum[safe: c] ?? 0))"
        if case .halfBlocks(let factor) = scale, factor > 1 { readout += " · shown averaged \(factor)×\(factor)" }
        grid.put(" " + readout, x: area.x, y: area.maxY - 1, style: .bold, clip: area)
    }

    private func thumbnails(columns: Int, pixelRows: Int, analysis: LayerAnalysis) -> Thumbnails? {
        screen.session.thumbnails(
            ablation: screen.state.ablation, step: screen.state.current, normalization: screen.state.normalization,
            symmetric: screen.isSymmetric(analysis), columns: columns, pixelRows: pixelRows)
    }

    /// Black or white, whichever stands out on the pixel's colour.
    private func cursorStyle(_ t: Float, signed: Bool) -> CellStyle {
        guard !screen.mono else { return CellStyle(bold: true, reverse: true) }
        let color = screen.mapColor(t, signed: signed)
        var light = true
        if case .rgb(let r, let g, let b) = color { light = 0.299 * Double(r) + 0.587 * Double(g) + 0.114 * Double(b) > 140 }
        return CellStyle(foreground: light ? Theme.black : .rgb(255, 255, 255), background: color, bold: true)
    }
}
