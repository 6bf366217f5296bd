/// Degrades 24-bit colours to the palettes of less capable terminals.
///
/// Views speak RGB only; the ANSI renderer and the curses backend call these functions to pick
/// the palette entry a terminal can show. Distances are squared Euclidean distances in RGB, the
/// same measure xterm-compatible tools use, so a given colour lands on the same index everywhere.
public enum ColorQuantization {
    /// A 24-bit colour.
    public struct RGB: Hashable, Sendable {
        public var red: UInt8
        public var green: UInt8
        public var blue: UInt8

        public init(red: UInt8, green: UInt8, blue: UInt8) {
            self.red = red
            self.green = green
            self.blue = blue
        }
    }

    /// The six levels of each channel of the xterm 6×6×6 colour cube (indices 16...231).
    public static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// The 16 ANSI colours as xterm draws them by default (indices 0...15; 8...15 are the bright
    /// ones). Terminals may theme these, which is why the 256-colour quantiser never picks them.
    public static let ansiColors: [RGB] = [
        RGB(red: 0, green: 0, blue: 0), RGB(red: 205, green: 0, blue: 0),
        RGB(red: 0, green: 205, blue: 0), RGB(red: 205, green: 205, blue: 0),
        RGB(red: 0, green: 0, blue: 238), RGB(red: 205, green: 0, blue: 205),
        RGB(red: 0, green: 205, blue: 205), RGB(red: 229, green: 229, blue: 229),
        RGB(red: 127, green: 127, blue: 127), RGB(red: 255, green: 0, blue: 0),
        RGB(red: 0, green: 255, blue: 0), RGB(red: 255, green: 255, blue: 0),
        RGB(red: 92, green: 92, blue: 255), RGB(red: 255, green: 0, blue: 255),
        RGB(red: 0, green: 255, blue: 255), RGB(red: 255, green: 255, blue: 255),
    ]

    /// The nearest entry of the xterm 256-colour palette, chosen among the colour cube
    /// (16...231) and the grey ramp (232...255, levels 8, 18, ..., 238). Ties go to the cube and,
    /// within cube or ramp, to the darker level.
    public static func palette256Index(of color: RGB) -> Int {
        let channels = [Int(color.red), Int(color.green), Int(color.blue)]

        // The squared distance is a sum over channels, so the nearest cube colour is the nearest
        // level in each channel independently.
        let cubeSteps = channels.map(nearestCubeStep)
        let cubeIndex = 16 + 36 * cubeSteps[0] + 6 * cubeSteps[1] + cubeSteps[2]
        let cubeDistance = zip(channels, cubeSteps).reduce(0) { sum, pair in
            sum + square(pair.0 - cubeLevels[pair.1])
        }

        // Only 24 grey levels: scanning them all is exact and cheap (strict `<` keeps the darker
        // level on a tie).
        var greyStep = 0
        var greyDistance = Int.max
        for step in 0..<24 {
            let level = 8 + 10 * step
            let distance = channels.reduce(0) { $0 + square($1 - level) }
            if distance < greyDistance {
                greyDistance = distance
                greyStep = step
            }
        }
        return greyDistance < cubeDistance ? 232 + greyStep : cubeIndex
    }

    /// The nearest of the 16 ANSI colours (0...15); ties go to the lower index.
    public static func ansi16Index(of color: RGB) -> Int {
        nearest(color, among: ansiColors)
    }

    /// The nearest of the 8 basic ANSI colours (0...7); ties go to the lower index.
    public static func ansi8Index(of color: RGB) -> Int {
        nearest(color, among: Array(ansiColors.prefix(8)))
    }

    /// The colour xterm shows for a 256-palette index (0...255); indices outside are clamped.
    public static func color(ofPalette256Index index: Int) -> RGB {
        let index = max(0, min(255, index))
        if index < 16 { return ansiColors[index] }
        if index >= 232 {
            let level = UInt8(8 + 10 * (index - 232))
            return RGB(red: level, green: level, blue: level)
        }
        let cube = index - 16
        return RGB(
            red: UInt8(cubeLevels[cube / 36]),
            green: UInt8(cubeLevels[(cube / 6) % 6]),
            blue: UInt8(cubeLevels[cube % 6])
        )
    }

    /// The index into `cubeLevels` nearest to `value`; the lower level wins a tie.
    private static func nearestCubeStep(_ value: Int) -> Int {
        var best = 0
        for step in 1..<cubeLevels.count where abs(value - cubeLevels[step]) < abs(value - cubeLevels[best]) {
            best = step
        }
        return best
    }

    private static func nearest(_ color: RGB, among palette: [RGB]) -> Int {
        var best = 0
        var bestDistance = Int.max
        for (index, candidate) in palette.enumerated() {
            let distance = square(Int(color.red) - Int(candidate.red))
                + square(Int(color.green) - Int(candidate.green))
                + square(Int(color.blue) - Int(candidate.blue))
            if distance < bestDistance {
                bestDistance = distance
                best = index
            }
        }
        return best
    }

    private static func square(_ value: Int) -> Int { value * value }
}

extension ColorQuantization {
    /// A colour as one output mode can show it.
    public enum Quantized: Hashable, Sendable {
        /// The terminal's own foreground or background.
        case terminalDefault
        /// A 24-bit colour (truecolor mode only).
        case rgb(RGB)
        /// An index into the xterm 256-colour palette; 0...15 are the ANSI colours.
        case palette(Int)
    }

    /// `color` as `mode` can show it: exact in truecolor, the nearest palette entry in the
    /// 256/16/8-colour modes, and always the terminal default in monochrome.
    public static func quantize(_ color: TerminalColor, for mode: ColorMode) -> Quantized {
        guard case .rgb(let red, let green, let blue) = color else { return .terminalDefault }
        let rgb = RGB(red: red, green: green, blue: blue)
        switch mode {
        case .truecolor: return .rgb(rgb)
        case .palette256: return .palette(palette256Index(of: rgb))
        case .ansi16: return .palette(ansi16Index(of: rgb))
        case .ansi8: return .palette(ansi8Index(of: rgb))
        case .monochrome: return .terminalDefault
        }
    }
}
