import ShuffleEngine

/// One channel at full resolution (enlarged when small, averaged down only when it cannot fit),
/// with a pixel cursor and the value under it.
struct ChannelView {
    let screen: Screen

    /// How a map of `mapWidth`×`mapHeight` pixels is shown in `columns`×`rows` cells.
    enum Scale: Equatable {
        /// Each pixel a block of 2k columns × k rows.
        case blocks(Int)
        /// Each cell two pixels (half blocks), after averaging `factor`×`factor` pixels into one.
        case halfBlocks(factor: Int)
    }

    static func scale(mapWidth: Int, mapHeight: Int, columns: Int, rows: Int) -> Scale {
        let k = min(8, columns / max(1, 2 * mapWidth), rows / max(1, mapHeight))
        if k >= 1 { return .blocks(k) }
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
        let scale = ChannelView.scale(mapWidth: shape.w, mapHeight: shape.h, columns: inner.width, rows: inner.height)
        let heatmap = HeatmapView(screen: screen)
        switch scale {
        case .blocks(let k):
            guard let thumbnails = thumbnails(columns: shape.w, pixelRows: shape.h) else { return }
            for py in 0..<shape.h {
                for px in 0..<shape.w {
                    let t = thumbnails.value(channel: c, column: px, row: py)
                    let cell = heatmap.pixelCell(top: t, bottom: t, signed: analysis.isSigned)
                    let block = Rect(x: inner.x + px * 2 * k, y: inner.y + py * k, width: 2 * k, height: k)
                    grid.fill(block.intersection(inner), character: cell.character, style: cell.style)
                    if px == state.cursorX && py == state.cursorY {
                        let mid = block.y + k / 2
                        grid.put("[", x: block.x, y: mid, style: cursorStyle(t, signed: analysis.isSigned), clip: inner)
                        grid.put("]", x: block.maxX - 1, y: mid, style: cursorStyle(t, signed: analysis.isSigned), clip: inner)
                    }
                }
            }
        case .halfBlocks(let factor):
            let columns = (shape.w + factor - 1) / factor, pixelRows = (shape.h + factor - 1) / factor
            guard let thumbnails = thumbnails(columns: columns, pixelRows: pixelRows + pixelRows % 2) else { return }
            heatmap.drawThumbnail(&grid, thumbnails, channel: c, x: inner.x, y: inner.y, clip: inner, signed: analysis.isSigned)
            let cx = state.cursorX / factor, cy = state.cursorY / factor
            let t = thumbnails.value(channel: c, column: cx, row: cy)
            grid.put("+", x: inner.x + cx, y: inner.y + cy / 2, style: cursorStyle(t, signed: analysis.isSigned), clip: inner)
        }
        let value = screen.run.output(state.current).map { $0[0, c, state.cursorY, state.cursorX] } ?? 0
        var readout = "x \(state.cursorX) y \(state.cursorY) · value \(Format.value(value))"
        readout += " · ch min \(Format.value(analysis.channelMinimum[safe: c] ?? 0)) max \(Format.value(analysis.channelMaximum[safe: c] ?? 0))"
        if case .halfBlocks(let factor) = scale, factor > 1 { readout += " · shown averaged \(factor)×\(factor)" }
        grid.put(" " + readout, x: area.x, y: area.maxY - 1, style: .bold, clip: area)
    }

    private func thumbnails(columns: Int, pixelRows: Int) -> Thumbnails? {
        screen.session.thumbnails(
            ablation: screen.state.ablation, step: screen.state.current, normalization: screen.state.normalization,
            columns: columns, pixelRows: pixelRows)
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
