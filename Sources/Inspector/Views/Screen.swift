import ShuffleEngine

/// One frame: the state drawn with the session's data. Pure apart from filling caches.
struct Screen {
    let session: InspectorSession
    let state: InspectorState
    let colorMode: ColorMode
    /// Why fewer colours are shown than asked for (header), if so.
    var colorNotice: String? = nil

    var mono: Bool { colorMode == .monochrome }
    var run: NetworkRun { session.run(ablation: state.ablation) }
    var network: NetworkContext { run.context }

    func render(width: Int, height: Int) -> CellGrid {
        var grid = CellGrid(width: width, height: height)
        guard width > 0, height > 0 else { return grid }
        let layout = FrameLayout(width: width, height: height, ablation: state.ablation)
        if layout.isTooSmall {
            drawTooSmall(&grid)
            return grid
        }
        HeaderView(screen: self).draw(&grid, layout.header)
        StepListView(screen: self).draw(&grid, layout.list)
        for y in layout.list.y..<layout.list.maxY {
            grid[layout.separatorX, y] = Cell("│", style: .dimmed)
        }
        switch state.view {
        case .heatmap where state.compare: CompareView(screen: self).draw(&grid, layout.main)
        case .heatmap: HeatmapView(screen: self).draw(&grid, layout.main)
        case .shuffle: ShuffleView(screen: self).draw(&grid, layout.main)
        case .profile: ProfileView(screen: self).draw(&grid, layout.main)
        case .reuse: ReuseView(screen: self).draw(&grid, layout.main)
        }
        if !layout.panel.isEmpty { AblationPanel(screen: self).draw(&grid, layout.panel) }
        FooterView(screen: self).draw(&grid, layout.footer)
        if state.showHelp { HelpOverlay(screen: self).draw(&grid, grid.bounds) }
        return grid
    }

    private func drawTooSmall(_ grid: inout CellGrid) {
        let need = "\(FrameLayout.minimumWidth)×\(FrameLayout.minimumHeight)"
        let have = "\(grid.width)×\(grid.height)"
        let words = ["enlarge", "the", "terminal", "(need", need + ",", "have", have + ")"]
        // Word-wrap into the space there is; whatever does not fit is clipped.
        var lines: [String] = []
        var line = ""
        for word in words {
            if line.isEmpty { line = word } else if line.count + 1 + word.count <= grid.width { line += " " + word } else {
                lines.append(line)
                line = word
            }
        }
        lines.append(line)
        let top = max(0, (grid.height - lines.count) / 2)
        for (i, text) in lines.enumerated() {
            let x = max(0, (grid.width - text.count) / 2)
            grid.put(text, x: x, y: top + i, style: .bold)
        }
    }

    // MARK: Shared helpers for views

    func node(_ index: Int) -> Node? { network.node(index) }

    /// The live timing of a step in this run: one cold measurement (nil before it ran).
    func duration(_ index: Int) -> Double? { session.duration(index, ablation: state.ablation) }

    /// The profile of this network once it has measured passes (warm medians), else nil.
    var warmProfile: ProfileReport? {
        guard let report = session.currentProfile, report.passes > 0, report.steps.count == network.count else { return nil }
        return report
    }

    /// A step's time as every screen shows it: the profile's warm median once there is one,
    /// else the live, single, cold timing. `warm` says which.
    func stepTime(_ index: Int) -> (seconds: Double, warm: Bool)? {
        if let report = warmProfile, let step = report.steps[safe: index] { return (step.median, true) }
        return duration(index).map { ($0, false) }
    }

    var currentName: String { node(state.current)?.name ?? "–" }

    /// "group 2 · ch 80–159" (1-based groups, 0-based channels).
    static func groupLabel(_ group: Int, channels: Range<Int>) -> String {
        "group \(group + 1) · ch \(channels.lowerBound)–\(channels.upperBound - 1)"
    }

    /// `group 2 · ch 40–79` for conv groups, `branch · ch 24–239` for a named part.
    static func groupLabel(_ group: Int, band: ChannelBand?) -> String {
        guard let band else { return "group \(group + 1)" }
        let channels = "ch \(band.channels.lowerBound)–\(band.channels.upperBound - 1)"
        if band.name.isEmpty { return "\(band.channels.count) channels · " + channels }
        if band.name.hasPrefix("g") && Int(band.name.dropFirst()) != nil { return "group \(group + 1) · " + channels }
        return "\(band.name) · " + channels
    }

    /// Colour of a normalised value on the layer's map, as this terminal can show it; `x`, `y`
    /// (pixel position) place the dithering on 16/8-colour terminals.
    @inline(__always)
    func mapColor(_ t: Float, signed: Bool, x: Int = 0, y: Int = 0) -> TerminalColor {
        state.colormap.map(signed: signed).color(t, mode: colorMode, x: x, y: y)
    }

    /// Whether values are scaled symmetrically around zero: signed layers, and any layer on the
    /// diverging map (so white still means zero).
    func isSymmetric(_ analysis: LayerAnalysis) -> Bool { analysis.isSigned || state.colormap == .diverging }

    /// The map drawn for this layer.
    func colormap(_ analysis: LayerAnalysis) -> Colormap { state.colormap.map(signed: isSymmetric(analysis)) }

    /// Style for something drawn in a group's colour (plain in monochrome).
    func groupStyle(_ group: Int, bold: Bool = false) -> CellStyle {
        mono ? CellStyle(bold: bold) : CellStyle(foreground: Theme.groupColor(group), bold: bold)
    }

    /// A cell showing a group: its symbol on its colour.
    func groupCell(_ group: Int) -> Cell {
        mono ? Cell(Theme.groupSymbol(group))
            : Cell(Theme.groupSymbol(group), style: CellStyle(foreground: Theme.black, background: Theme.groupColor(group)))
    }
}
