import ShuffleEngine

/// How channel thumbnails tile an area: one band per group (or one group, zoomed in).
struct BandGeometry: Equatable {
    /// Thumbnail size in cells; each cell shows two pixel rows with a half-block glyph.
    var thumbnailColumns: Int
    var thumbnailRows: Int
    /// Blank columns between thumbnails.
    var gap: Int
    /// Thumbnails per row inside a band.
    var perRow: Int
    /// Rows of thumbnails per band.
    var rowsPerBand: Int
    /// Rows added per thumbnail row (a channel label under each thumbnail when zoomed in).
    var labelRows: Int
    /// Bands are framed (2 rows for the frame) or just titled (1 row).
    var framed: Bool
    /// Channels shown per band; fewer than the group holds when even 1-cell thumbnails do not fit.
    var visiblePerBand: Int

    /// Rows from one row of thumbnails to the next (the gap separates them vertically too).
    var rowStride: Int { thumbnailRows + labelRows + gap }
    var bandHeight: Int { rowsPerBand * rowStride - gap + (framed ? 2 : 1) }
    var pixelRows: Int { thumbnailRows * 2 }
}

enum HeatmapLayout {
    /// Rows the heatmap view uses above its bands (layer title and legend).
    static let headerRows = 2

    /// The largest thumbnails that tile `channelsPerBand` channels of `bands` bands into `area`,
    /// keeping the pixels about square (a cell is two pixels tall).
    static func bands(area: Rect, channelsPerBand: Int, bands: Int, mapHeight: Int, mapWidth: Int, labelled: Bool) -> BandGeometry {
        let channels = max(1, channelsPerBand), count = max(1, bands)
        let labelRows = labelled ? 1 : 0
        let innerWidth = max(1, area.width - 2)
        let largest = max(1, min(2 * max(1, mapWidth), 48, innerWidth))
        func attempt(columns: Int, gap: Int, framed: Bool) -> BandGeometry? {
            let rows = max(1, Int((Double(columns * mapHeight) / Double(max(1, mapWidth)) / 2).rounded()))
            let perRow = max(1, (innerWidth + gap) / (columns + gap))
            let geometry = BandGeometry(
                thumbnailColumns: columns, thumbnailRows: rows, gap: gap, perRow: perRow,
                rowsPerBand: (channels + perRow - 1) / perRow, labelRows: labelRows, framed: framed,
                visiblePerBand: channels)
            return geometry.bandHeight * count <= area.height ? geometry : nil
        }
        // Largest framed thumbnails with gaps first; then squeeze out the gaps and the frames.
        for columns in stride(from: largest, through: 1, by: -1) {
            if let fits = attempt(columns: columns, gap: 1, framed: true) { return fits }
        }
        if let fits = attempt(columns: 1, gap: 0, framed: true) { return fits }
        if let fits = attempt(columns: 1, gap: 0, framed: false) { return fits }
        // Even one cell per channel does not fit: show as many thumbnail rows as fit, then "+N".
        let perRow = max(1, innerWidth)
        let rowsPerBand = max(1, (area.height / count) - 1 - labelRows)
        return BandGeometry(
            thumbnailColumns: 1, thumbnailRows: 1, gap: 0, perRow: perRow, rowsPerBand: rowsPerBand,
            labelRows: 0, framed: false, visiblePerBand: min(channels, perRow * rowsPerBand - 1))
    }

    /// The area under the view's title and legend.
    static func content(of main: Rect) -> Rect {
        Rect(x: main.x, y: main.y + headerRows, width: main.width, height: main.height - headerRows)
    }

    /// Geometry of the zoomed-in group view for a layer.
    static func groupZoom(main: Rect, shape: Shape, channels: Int) -> BandGeometry {
        let area = content(of: main)
        // One row under the band is kept for the selected channel's statistics.
        let bandArea = Rect(x: area.x, y: area.y, width: area.width, height: area.height - 1)
        return bands(area: bandArea, channelsPerBand: channels, bands: 1, mapHeight: shape.h, mapWidth: shape.w, labelled: true)
    }

    /// Thumbnails per row when zoomed into one group, for moving the selection up and down.
    static func groupZoomColumns(width: Int, height: Int, shape: Shape, channels: Int, ablation: Bool = false) -> Int {
        let layout = FrameLayout(width: width, height: height, ablation: ablation)
        return groupZoom(main: layout.main, shape: shape, channels: channels).perRow
    }
}
