import ShuffleEngine

/// The focus view's right panel: the preprocessed input at the panel's scale, outlined with the
/// receptive field of the cursor's cell, or blended with the class activation map of the class
/// picked among the top five (`C`, `<` `>`).
struct FocusOverlay {
    let screen: Screen
    let panel: (width: Int, height: Int)

    typealias PixelDrawer = (inout CellGrid, Int, Int, (width: Int, height: Int), (Int, Int) -> (TerminalColor, Float)) -> Void

    /// Draws the panel at `origin`; returns its caption, richest first (the view shows the first
    /// that fits).
    func draw(_ grid: inout CellGrid, at origin: (x: Int, y: Int), cursorColor: TerminalColor, drawPixels: PixelDrawer) -> [String] {
        let setup = screen.session.setup
        let picture = InputPicture(input: setup.input, pixels: setup.inputPixels)
        let xBins = Thumbnails.bins(count: panel.width, over: picture.width)
        let yBins = Thumbnails.bins(count: panel.height, over: picture.height)
        let photo: [(Float, Float, Float)] = yBins.flatMap { rows in xBins.map { picture.average(rows: rows, columns: $0) } }
        let state = screen.state
        if state.showsClassMap {
            guard let (map, caption) = classMap() else {
                drawPixels(&grid, origin.x, origin.y, panel) { px, py in FocusOverlay.color(photo[py * panel.width + px], dim: 0.5) }
                return ["class activation map: shown once the classifier has run", "class map: not run yet"]
            }
            let normalized = map.normalized
            let heat = Colormap.magma
            drawPixels(&grid, origin.x, origin.y, panel) { px, py in
                let t = map.sample(normalized: normalized, x: Double(px), y: Double(py), pictureWidth: panel.width, pictureHeight: panel.height)
                guard case .rgb(let r, let g, let b) = heat.color(t, mode: .truecolor) else { return (.terminalDefault, t) }
                let p = photo[py * panel.width + px]
                // Half photo, half heat: where the class is found, the picture glows.
                let mix = { (photo: Float, heat: UInt8) in 0.45 * photo + 0.55 * Float(heat) / 255 }
                return (TerminalColor(red: Double(mix(p.0, r)), green: Double(mix(p.1, g)), blue: Double(mix(p.2, b))), t)
            }
            return caption
        }
        // The receptive field of the cursor's cell, as input pixels and as panel pixels.
        guard let field = ReceptiveField.of(node: state.current, x: state.cursorX, y: state.cursorY, in: screen.network.graph) else {
            return ["input"]
        }
        let boxColumns = xBins.indices.filter { xBins[$0].overlaps(field.columns.lowerBound..<(field.columns.upperBound + 1)) }
        let boxRows = yBins.indices.filter { yBins[$0].overlaps(field.rows.lowerBound..<(field.rows.upperBound + 1)) }
        let (left, right) = (boxColumns.first ?? 0, boxColumns.last ?? 0)
        let (top, bottom) = (boxRows.first ?? 0, boxRows.last ?? 0)
        drawPixels(&grid, origin.x, origin.y, panel) { px, py in
            let inside = (left...right).contains(px) && (top...bottom).contains(py)
            let edge = inside && (px == left || px == right || py == top || py == bottom)
            if edge { return (cursorColor, 1) }
            // Outside the field the photo is dimmed a little: enough to see the box's inside,
            // not so much that a 256-colour palette turns it grey.
            return FocusOverlay.color(photo[py * panel.width + px], dim: inside ? 1 : 0.7)
        }
        let size = "\(field.rows.count)×\(field.columns.count)"
        let where_ = "rows \(field.rows.lowerBound)–\(field.rows.upperBound), cols \(field.columns.lowerBound)–\(field.columns.upperBound)"
        return ["input \(picture.height)×\(picture.width) · box: receptive field \(size) px (\(where_))",
                "box: receptive field \(size) px (\(where_))", "receptive field \(size) px", "field \(size)"]
    }

    /// The class map of the picked class and its caption, once the classifier has run.
    private func classMap() -> (ClassActivationMap, [String])? {
        let run = screen.run
        guard let head = ClassActivationMap.head(in: run.graph), let features = run.output(head.features),
            let logits = run.logits, case .linear(let classifier) = run.graph.nodes[head.classifier].op
        else { return nil }
        let top = VectorView.topIndices(logits, count: FocusLimits.classChoices)
        guard let classIndex = top[safe: min(screen.state.classRank, top.count - 1)],
            let map = ClassActivationMap(classifier: classifier, features: features, classIndex: classIndex)
        else { return nil }
        let label = screen.session.setup.labels?[safe: classIndex].map { " \($0)" } ?? ""
        let shape = features.shape
        let short = "class map #\(screen.state.classRank + 1): \(classIndex)\(label)"
        let logit = " · logit \(Format.value(logits[classIndex]))"
        let source = " · Σc w·A over \(run.graph.nodes[head.features].name) \(shape.c)×\(shape.h)×\(shape.w)"
        return (map, [short + logit + source, short + logit, short, "#\(screen.state.classRank + 1) \(classIndex)"])
    }

    /// A photo pixel as a colour (darkened by `dim`) and its luminance for monochrome.
    static func color(_ p: (Float, Float, Float), dim: Float) -> (TerminalColor, Float) {
        let luminance = 0.299 * p.0 + 0.587 * p.1 + 0.114 * p.2
        return (TerminalColor(red: Double(p.0 * dim), green: Double(p.1 * dim), blue: Double(p.2 * dim)), luminance * dim)
    }
}
