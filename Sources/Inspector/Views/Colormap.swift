/// The colour maps a user picks with `m`. Signed layers need a map with a middle: viridis and
/// magma give way to the diverging map there; grey and the diverging map draw both kinds.
public enum ColormapChoice: String, Sendable, CaseIterable, Hashable {
    case viridis
    case magma
    case grey
    case diverging

    /// The map drawn for a layer whose values are signed (scaled symmetrically around 0) or not.
    func map(signed: Bool) -> Colormap {
        switch self {
        case .viridis: return signed ? .diverging : .viridis
        case .magma: return signed ? .diverging : .magma
        case .grey: return .grey
        case .diverging: return .diverging
        }
    }
}

/// A colour map as drawn: 256 entries from t = 0 to t = 1, one table per colour mode.
///
/// Truecolor interpolates the map's anchors. The 256-colour table is designed for the xterm
/// palette (`PaletteRamp`): every entry is an exact palette colour, lightness never goes back
/// (rising for the sequential maps; rising to white at 0 and falling again for the diverging
/// one), and each map gets at least 24 distinct entries. Nearest-RGB quantisation would fold
/// viridis' purple–blue half onto a few greys. 16 and 8 colours use ANSI stand-ins, dark to
/// light, with ordered dithering between neighbours for the levels in between.
public enum Colormap: String, Sendable, CaseIterable, Hashable {
    case viridis
    case magma
    case grey
    /// Blue–white–red; white is t = ½ (zero on a symmetric scale).
    case diverging

    var isDiverging: Bool { self == .diverging }

    /// Anchors of the truecolor map (matplotlib's viridis and magma, ColorBrewer RdBu reversed).
    var anchors: [(Double, Double, Double)] {
        switch self {
        case .viridis:
            return [(68, 1, 84), (72, 40, 120), (62, 74, 137), (49, 104, 142), (38, 130, 142),
                    (31, 158, 137), (53, 183, 121), (109, 205, 89), (180, 222, 44), (253, 231, 37)]
        case .magma:
            return [(0, 0, 4), (28, 16, 68), (79, 18, 123), (129, 37, 129), (181, 54, 122),
                    (229, 80, 100), (251, 135, 97), (254, 194, 135), (252, 253, 191)]
        case .grey:
            return [(0, 0, 0), (255, 255, 255)]
        case .diverging:
            return [(5, 48, 97), (33, 102, 172), (67, 147, 195), (146, 197, 222), (209, 229, 240), (247, 247, 247),
                    (253, 219, 199), (244, 165, 130), (214, 96, 77), (178, 24, 43), (103, 0, 31)]
        }
    }

    /// ANSI colour indices standing in for the map on 16-colour terminals, in the map's order.
    var ansi16: [Int] {
        switch self {
        case .viridis: return [0, 4, 12, 6, 2, 10, 3, 11]
        case .magma: return [0, 4, 5, 1, 13, 9, 3, 11, 15]
        case .grey: return [0, 8, 7, 15]
        case .diverging: return [4, 12, 14, 7, 11, 9, 1]
        }
    }

    var ansi8: [Int] {
        switch self {
        case .viridis: return [0, 4, 6, 2, 3]
        case .magma: return [0, 4, 5, 1, 3, 7]
        case .grey: return [0, 7]
        case .diverging: return [4, 6, 7, 3, 1]
        }
    }

    /// Words for the legend: what the ends (and the middle) mean.
    var legendWords: String {
        switch self {
        case .viridis: return "viridis"
        case .magma: return "magma"
        case .grey: return "grey"
        case .diverging: return "diverging: blue − white 0 red +"
        }
    }

    /// 256 truecolor entries.
    var truecolorTable: [TerminalColor] { Colormap.truecolorTables[self] ?? [] }
    /// 256 entries, each an exact xterm palette colour.
    var palette256Table: [TerminalColor] { Colormap.paletteTables[self] ?? [] }

    private static let truecolorTables: [Colormap: [TerminalColor]] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0, interpolated($0.anchors)) })
    private static let paletteTables: [Colormap: [TerminalColor]] = Dictionary(
        uniqueKeysWithValues: allCases.map { map in
            (map, PaletteRamp.design(for: truecolorTables[map] ?? [], diverging: map.isDiverging, levels: map.isDiverging ? 28 : 26))
        })

    /// 4×4 Bayer thresholds (0…15) for ordered dithering.
    private static let bayer: [[Float]] = [[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]]

    /// Colour of a normalised value `t` (clamped to 0…1) in `mode`. `x`, `y` place the pixel
    /// for dithering on 16/8-colour terminals: between two stand-ins, the fraction of pixels
    /// drawn in the upper one equals the value's position between them.
    @inline(__always)
    public func color(_ t: Float, mode: ColorMode, x: Int = 0, y: Int = 0) -> TerminalColor {
        let clamped = t.isFinite ? max(0, min(1, t)) : 0
        switch mode {
        case .truecolor, .monochrome: return truecolorTable[Int(clamped * 255 + 0.5)]
        case .palette256: return palette256Table[Int(clamped * 255 + 0.5)]
        case .ansi16, .ansi8:
            let indices = mode == .ansi16 ? ansi16 : ansi8
            let position = clamped * Float(indices.count - 1)
            let lower = min(indices.count - 1, Int(position))
            let fraction = position - Float(lower)
            let threshold = (Colormap.bayer[((y % 4) + 4) % 4][((x % 4) + 4) % 4] + 0.5) / 16
            let index = fraction > threshold ? min(indices.count - 1, lower + 1) : lower
            let rgb = ColorQuantization.ansiColors[indices[index]]
            return .rgb(rgb.red, rgb.green, rgb.blue)
        }
    }

    private static func interpolated(_ anchors: [(Double, Double, Double)]) -> [TerminalColor] {
        (0..<256).map { i in
            let position = Double(i) / 255 * Double(anchors.count - 1)
            let lower = min(anchors.count - 2, Int(position))
            let f = position - Double(lower)
            let a = anchors[lower], b = anchors[lower + 1]
            return TerminalColor(
                red: (a.0 + (b.0 - a.0) * f) / 255, green: (a.1 + (b.1 - a.1) * f) / 255,
                blue: (a.2 + (b.2 - a.2) * f) / 255)
        }
    }
}
