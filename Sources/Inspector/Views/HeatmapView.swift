import ShuffleEngine

/// The default view: the current step's output, channels tiled by group (or one group, or one
/// channel), drawn with half-block glyphs — two pixels per cell — on a viridis map for unsigned
/// layers and a blue–white–red map, symmetric around zero, for signed ones.
struct HeatmapView {
    let screen: Screen

    func draw(_ grid: inout CellGrid, _ rect: Rect) {
        let state = screen.state
        guard let node = screen.node(state.current) else { return }
        drawTitle(&grid, rect, node: node)
        guard let analysis = screen.run.analysis(state.current) else {
            let done = screen.run.executor.nextIndex
            grid.line("running up to this step: \(done) of \(state.current + 1) steps done (keys stay live)",
                      in: rect, row: HeatmapLayout.headerRows, dx: 1, style: .bold)
            return
        }
        let content = HeatmapLayout.content(of: rect)
        if node.outputShape.plane <= 1 {
            // Bars, not colours: a colour legend would mean nothing here.
            let range = " \(analysis.shape.c) values from \(Format.value(analysis.minimum)) to \(Format.value(analysis.maximum))"
            grid.line(range, in: rect, row: 1, style: .dimmed)
            VectorView(screen: screen).draw(&grid, content, analysis: analysis)
            return
        }
        drawLegend(&grid, rect, analysis: analysis)
        if state.focus {
            FocusView(screen: screen).draw(&grid, content, analysis: analysis)
            return
        }
        switch state.zoom {
        case .groups: drawBands(&grid, content, analysis: analysis)
        case .group: drawGroup(&grid, rect, analysis: analysis)
        case .channel: ChannelView(screen: screen).draw(&grid, content, analysis: analysis)
        }
    }

    private func drawTitle(_ grid: inout CellGrid, _ rect: Rect, node: Node) {
        let index = screen.state.current
        let kind = node.op.kind + HeatmapView.groupingText(node, bands: screen.network.layerBands[safe: index] ?? [])
        let shape = node.outputShape.compactDescription
        let time = screen.stepTime(index).map { Format.time($0.seconds) + ($0.warm ? " warm" : " cold") }
        let macs = node.multiplyAdds > 0 ? "\(Format.count(node.multiplyAdds)) MACs" : nil
        // Richest first; what matters least goes first: the checkpoint name, the MACs, the time.
        let variants = [
            [kind, shape, time, macs, node.source], [kind, shape, time, macs], [kind, shape, time], [kind, shape], [shape],
        ].map { " · " + $0.compactMap { $0 }.joined(separator: " · ") }
        let x = grid.line(" " + node.name, in: rect, row: 0, style: .bold)
        let rest = HeaderView.firstFitting(variants, width: rect.maxX - x) { $0.count }
        grid.put(rest, x: x, y: rect.y, clip: rect)
    }

    /// How the layer's channels are banded: " · 3 groups" for conv groups, " · shortcut 24 +
    /// branch 216" for named parts, nothing for one band.
    static func groupingText(_ node: Node, bands: [ChannelBand]) -> String {
        guard bands.count > 1 else { return "" }
        switch node.place.bands {
        case .parts: return " · " + bands.map { "\($0.name) \($0.channels.count)" }.joined(separator: " + ")
        default: return " · \(bands.count) groups"
        }
    }

    private func drawLegend(_ grid: inout CellGrid, _ rect: Rect, analysis: LayerAnalysis) {
        let state = screen.state
        let range = analysis.range(for: state.channel, normalization: state.normalization, symmetric: screen.isSymmetric(analysis))
        var x = grid.line(" \(state.normalization.title): ", in: rect, row: 1, style: .dimmed)
        x = grid.put(Format.value(range.low) + " ", x: x, y: rect.y + 1, clip: rect)
        let barWidth = max(10, min(24, rect.width / 6))
        for i in 0..<barWidth {
            let t = Float(i) / Float(barWidth - 1)
            let cell = screen.mono ? Cell(Theme.rampCharacter(t))
                : Cell("▀", style: CellStyle(foreground: screen.mapColor(t, signed: screen.isSymmetric(analysis), x: i, y: 0),
                                             background: screen.mapColor(t, signed: screen.isSymmetric(analysis), x: i, y: 1)))
            if x < rect.maxX { grid[x, rect.y + 1] = cell }
            x += 1
        }
        x = grid.put(" " + Format.value(range.high), x: x, y: rect.y + 1, clip: rect)
        let kind = analysis.isSigned ? "signed: symmetric around 0" : (screen.isSymmetric(analysis) ? "unsigned, symmetric around 0" : "unsigned")
        let mapName = screen.colormap(analysis).legendWords
        let words = screen.mono ? [kind] : [kind + ", " + mapName + " (m)", kind + ", " + mapName, mapName, screen.colormap(analysis).rawValue]
        // Per group or channel each has its own range; the legend shows the selected one's.
        let scope: String
        switch state.normalization {
        case .layer: scope = ""
        case .group: scope = " (range of group \(state.group + 1))"
        case .channel: scope = " (range of ch \(state.channel))"
        case .clipped: scope = ""
        }
        let text = HeaderView.firstFitting(words.map { scope + " · " + $0 } + words.map { " · " + $0 }, width: rect.maxX - x) { $0.count }
        grid.put(text, x: x, y: rect.y + 1, style: .dimmed, clip: rect)
    }

    /// Title of a group's band: label and statistics.
    func bandTitle(_ group: Int, analysis: LayerAnalysis) -> String {
        let stats = analysis.groupStatistics[safe: group]
        var title = Screen.groupLabel(group, band: analysis.bands[safe: group])
        if let stats {
            title += " · mean \(Format.value(stats.mean)) · max \(Format.value(stats.maximum)) · zeros \(Format.percent(Double(stats.zeroFraction)))"
        }
        return title
    }

    private func drawBands(_ grid: inout CellGrid, _ area: Rect, analysis: LayerAnalysis) {
        let shape = analysis.shape
        let geometry = HeatmapLayout.bands(
            area: area, channelsPerBand: analysis.widestBand, bands: analysis.groups,
            mapHeight: shape.h, mapWidth: shape.w, labelled: false)
        guard let thumbnails = thumbnails(geometry) else { return }
        for group in 0..<analysis.groups {
            let band = Rect(x: area.x, y: area.y + group * geometry.bandHeight, width: area.width, height: geometry.bandHeight)
            let selected = group == screen.state.group && analysis.groups > 1
            let title = bandTitle(group, analysis: analysis)
            let inner: Rect
            if geometry.framed {
                let style = screen.groupStyle(group, bold: selected)
                grid.box(band, border: Theme.groupBorder(group), style: style, title: title,
                         titleStyle: selected ? CellStyle(bold: true, reverse: true) : style)
                inner = band.inset(by: 1)
            } else {
                grid.line((selected ? "▶ " : "") + title, in: band, row: 0, style: selected ? .inverted : screen.groupStyle(group))
                inner = Rect(x: band.x + 1, y: band.y + 1, width: band.width - 1, height: band.height - 1)
            }
            tile(&grid, inner, thumbnails: thumbnails, channels: analysis.channels(ofBand: group),
                 geometry: geometry, signed: screen.isSymmetric(analysis), selected: nil)
        }
    }

    private func drawGroup(_ grid: inout CellGrid, _ rect: Rect, analysis: LayerAnalysis) {
        let state = screen.state
        let group = state.group
        let geometry = HeatmapLayout.groupZoom(
            main: rect, shape: analysis.shape, channels: max(1, analysis.channels(ofBand: group).count))
        guard let thumbnails = thumbnails(geometry) else { return }
        let area = HeatmapLayout.content(of: rect)
        let band = Rect(x: area.x, y: area.y, width: area.width, height: min(area.height - 1, geometry.bandHeight))
        let style = screen.groupStyle(group, bold: true)
        grid.box(band, border: Theme.groupBorder(group), style: style, title: bandTitle(group, analysis: analysis) + " · Tab next group")
        tile(&grid, band.inset(by: 1), thumbnails: thumbnails, channels: analysis.channels(ofBand: group),
             geometry: geometry, signed: screen.isSymmetric(analysis), selected: state.channel)
        let c = state.channel
        let origin = screen.network.origins[safe: state.current]?[safe: c].map { " · carries group \($0 + 1)" } ?? ""
        let info = "ch \(c) · min \(Format.value(analysis.channelMinimum[safe: c] ?? 0)) · max \(Format.value(analysis.channelMaximum[safe: c] ?? 0)) · mean \(Format.value(analysis.channelMean[safe: c] ?? 0))\(origin) · Enter: full size"
        grid.put(" " + info, x: area.x, y: band.maxY, clip: rect)
    }

    private func thumbnails(_ geometry: BandGeometry) -> Thumbnails? {
        guard let analysis = screen.run.analysis(screen.state.current) else { return nil }
        return screen.session.thumbnails(
            ablation: screen.state.ablation, step: screen.state.current, normalization: screen.state.normalization,
            symmetric: screen.isSymmetric(analysis), columns: geometry.thumbnailColumns, pixelRows: geometry.pixelRows)
    }

    /// Draws `channels` as thumbnails left to right, top to bottom, inside `inner`.
    private func tile(_ grid: inout CellGrid, _ inner: Rect, thumbnails: Thumbnails, channels: Range<Int>,
                      geometry: BandGeometry, signed: Bool, selected: Int?) {
        let visible = min(channels.count, geometry.visiblePerBand)
        let stepX = geometry.thumbnailColumns + geometry.gap
        let stepY = geometry.rowStride
        for offset in 0..<visible {
            let channel = channels.lowerBound + offset
            let x = inner.x + (offset % geometry.perRow) * stepX
            let y = inner.y + (offset / geometry.perRow) * stepY
            if y >= inner.maxY { break }
            drawThumbnail(&grid, thumbnails, channel: channel, x: x, y: y, clip: inner, signed: signed)
            if geometry.labelRows > 0 {
                // "c123", or "123" when narrower; nothing rather than a cut number.
                let text = ["c\(channel)", "\(channel)"].first { $0.count <= geometry.thumbnailColumns } ?? ""
                let label = Format.left(text, geometry.thumbnailColumns)
                // The label wears the colour of the group the channel came from (it differs from
                // the band after a shuffle).
                let origin = screen.network.origins[safe: screen.state.current]?[safe: channel] ?? 0
                let style = channel == selected ? CellStyle(bold: true, reverse: true) : screen.groupStyle(origin)
                grid.put(label, x: x, y: y + geometry.thumbnailRows, style: style, clip: inner)
            }
        }
        if visible < channels.count {
            let x = inner.x + (visible % geometry.perRow) * stepX
            let y = inner.y + (visible / geometry.perRow) * stepY
            grid.put("+\(channels.count - visible)", x: x, y: min(y, inner.maxY - 1), style: .bold, clip: inner)
        }
    }

    func drawThumbnail(_ grid: inout CellGrid, _ thumbnails: Thumbnails, channel: Int, x: Int, y: Int, clip: Rect, signed: Bool) {
        let rows = thumbnails.pixelRows / 2
        for row in 0..<rows {
            let cy = y + row
            guard cy >= clip.y, cy < clip.maxY else { continue }
            for column in 0..<thumbnails.columns {
                let cx = x + column
                guard cx >= clip.x, cx < clip.maxX else { continue }
                let top = thumbnails.value(channel: channel, column: column, row: 2 * row)
                let bottom = thumbnails.value(channel: channel, column: column, row: 2 * row + 1)
                grid[cx, cy] = pixelCell(top: top, bottom: bottom, signed: signed, x: cx, y: cy)
            }
        }
    }

    /// Two stacked pixels: "▀" with the upper one as foreground and the lower as background, or a
    /// ramp character of their mean in monochrome.
    @inline(__always)
    func pixelCell(top: Float, bottom: Float, signed: Bool, x: Int = 0, y: Int = 0) -> Cell {
        if screen.mono { return Cell(Theme.rampCharacter((top + bottom) / 2)) }
        return Cell("▀", style: CellStyle(foreground: screen.mapColor(top, signed: signed, x: x, y: 2 * y),
                                          background: screen.mapColor(bottom, signed: signed, x: x, y: 2 * y + 1)))
    }
}
