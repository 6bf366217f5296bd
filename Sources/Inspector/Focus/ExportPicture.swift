import ShuffleEngine

/// An 8-bit RGB picture, rows top to bottom, `[H, W, 3]`.
public struct RGBPicture: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public let pixels: [UInt8]
}

/// What `render --format png` draws.
public enum ExportSubject: Equatable, Sendable {
    /// Every channel of the step at its own resolution (enlarged for small maps), one block of
    /// tiles per group, on the view's colour map and normalisation.
    case channels
    /// One channel, enlarged to at least 448 pixels on its longer side.
    case channel(Int)
    /// The class activation map of the class at this rank (0-based) of the top five, blended
    /// over the preprocessed input at its own resolution.
    case classMap(rank: Int)
}

extension InspectorApplication {
    /// Runs the network as far as `subject` needs and draws it in truecolor; nil when the step
    /// has no spatial map (or, for a class map, the network has no pool + FC head).
    public func exportPicture(step: Int, subject: ExportSubject, configure: (inout InspectorState) -> Void = { _ in }) -> RGBPicture? {
        var next = state
        next.current = step
        next.ablation = false
        configure(&next)
        if case .classMap(let rank) = subject { next.focus = true; next.showsClassMap = true; next.classRank = rank }
        if case .channel(let c) = subject { next.channel = c }
        InspectorReducer.clamp(&next, context: ReducerContext(network: session.normal.context))
        synchronizeForExport(next)
        let run = session.normal
        if case .classMap(let rank) = subject { return classMapPicture(rank: rank) }
        guard let output = run.output(next.current), let analysis = run.analysis(next.current), output.shape.plane > 1 else { return nil }
        let symmetric = analysis.isSigned || next.colormap == .diverging
        let map = next.colormap.map(signed: symmetric)
        func color(_ channel: Int, _ value: Float) -> (UInt8, UInt8, UInt8) {
            let (low, high) = analysis.range(for: channel, normalization: next.normalization, symmetric: symmetric)
            guard case .rgb(let r, let g, let b) = map.color((value - low) / (high - low), mode: .truecolor) else { return (0, 0, 0) }
            return (r, g, b)
        }
        let shape = output.shape
        switch subject {
        case .channel(let requested):
            let c = max(0, min(shape.c - 1, requested))
            let scale = max(1, 448 / max(shape.h, shape.w))
            var canvas = Canvas(width: shape.w * scale, height: shape.h * scale)
            for y in 0..<shape.h { for x in 0..<shape.w {
                canvas.fill(x: x * scale, y: y * scale, size: scale, color: color(c, output[0, c, y, x]))
            } }
            return canvas.picture
        case .channels:
            let per = analysis.widestBand, groups = analysis.groups
            let columns = min(per, 16), rowsPerGroup = (per + columns - 1) / columns
            let scale = max(1, 48 / max(shape.h, shape.w)), gap = 2, groupGap = 8
            let tileW = shape.w * scale + gap, tileH = shape.h * scale + gap
            var canvas = Canvas(width: columns * tileW + gap, height: groups * (rowsPerGroup * tileH + groupGap) + gap)
            for c in 0..<shape.c {
                // Bands may differ in size (a concat's sources): each starts a new block of rows.
                let group = analysis.group(of: c), index = c - analysis.channels(ofBand: group).lowerBound
                let originX = gap + (index % columns) * tileW
                let originY = gap + group * (rowsPerGroup * tileH + groupGap) + (index / columns) * tileH
                for y in 0..<shape.h { for x in 0..<shape.w {
                    canvas.fill(x: originX + x * scale, y: originY + y * scale, size: scale, color: color(c, output[0, c, y, x]))
                } }
            }
            return canvas.picture
        case .classMap:
            return nil
        }
    }

    /// The class map of the class at `rank` of the top five over the input at its resolution.
    private func classMapPicture(rank: Int) -> RGBPicture? {
        let run = session.normal
        guard let head = ClassActivationMap.head(in: run.graph), let features = run.output(head.features),
            let logits = run.logits, case .linear(let classifier) = run.graph.nodes[head.classifier].op,
            let classIndex = VectorView.topIndices(logits, count: FocusLimits.classChoices)[safe: rank],
            let cam = ClassActivationMap(classifier: classifier, features: features, classIndex: classIndex)
        else { return nil }
        let picture = InputPicture(input: session.setup.input, pixels: session.setup.inputPixels)
        let normalized = cam.normalized
        var canvas = Canvas(width: picture.width, height: picture.height)
        for y in 0..<picture.height { for x in 0..<picture.width {
            let t = cam.sample(normalized: normalized, x: Double(x), y: Double(y), pictureWidth: picture.width, pictureHeight: picture.height)
            guard case .rgb(let r, let g, let b) = Colormap.magma.color(t, mode: .truecolor) else { continue }
            let i = (y * picture.width + x) * 3
            func mix(_ photo: Float, _ heat: UInt8) -> UInt8 { UInt8(max(0, min(255, (0.45 * photo * 255 + 0.55 * Float(heat)).rounded()))) }
            canvas.fill(x: x, y: y, size: 1, color: (mix(picture.rgb[i], r), mix(picture.rgb[i + 1], g), mix(picture.rgb[i + 2], b)))
        } }
        return canvas.picture
    }
}
/// A pixel buffer on a dark background.
private struct Canvas {
    let width: Int, height: Int
    var pixels: [UInt8]

    init(width: Int, height: Int) {
        self.width = max(1, width)
        self.height = max(1, height)
        pixels = [UInt8](repeating: 24, count: self.width * self.height * 3)
    }

    mutating func fill(x: Int, y: Int, size: Int, color: (UInt8, UInt8, UInt8)) {
        for row in y..<min(height, y + size) {
            for column in x..<min(width, x + size) where row >= 0 && column >= 0 {
                let i = (row * width + column) * 3
                pixels[i] = color.0; pixels[i + 1] = color.1; pixels[i + 2] = color.2
            }
        }
    }

    var picture: RGBPicture { RGBPicture(width: width, height: height, pixels: pixels) }
}
