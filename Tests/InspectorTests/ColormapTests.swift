import Testing
@testable import Inspector

/// The colour maps as each kind of terminal shows them.
@Suite struct ColormapTests {
    private func lightness(_ color: TerminalColor) -> Double { LabColor.lightness(of: color) }

    @Test(arguments: Colormap.allCases)
    func paletteRampsAreExactPaletteColoursMonotonicInLightnessWithManySteps(_ map: Colormap) throws {
        let table = map.palette256Table
        #expect(table.count == 256)
        // Every entry survives the 256-colour quantiser as itself.
        for color in table {
            guard case .palette(let index) = ColorQuantization.quantize(color, for: .palette256) else {
                Issue.record("not a palette colour: \(color)"); continue
            }
            let rgb = ColorQuantization.color(ofPalette256Index: index)
            #expect(color == .rgb(rgb.red, rgb.green, rgb.blue))
        }
        #expect(Set(table).count >= 24, "\(map): \(Set(table).count) distinct entries")
        // Lightness rises (to the middle for the diverging map, then falls).
        let values = table.map(lightness)
        let peak = map == .diverging ? (values.indices.max { values[$0] < values[$1] } ?? 0) : 255
        for i in 1..<256 {
            if i <= peak { #expect(values[i] >= values[i - 1] - 1e-9, "\(map) at \(i)") }
            else { #expect(values[i] <= values[i - 1] + 1e-9, "\(map) at \(i)") }
        }
        // And follows the truecolor map's lightness closely.
        let truecolor = map.truecolorTable.map(lightness)
        let errors = zip(values, truecolor).map { abs($0 - $1) }
        let worst = errors.max() ?? 0, mean = errors.reduce(0, +) / Double(errors.count)
        #expect(mean < 3 && worst < 10, "\(map): lightness off by \(mean) on average, \(worst) at worst")
    }

    @Test func nearestColourQuantisingWouldPosteriseViridis() {
        // What the ramp replaces: the nearest palette entry of each viridis sample.
        let nearest = Set(Colormap.viridis.truecolorTable.map { ColorQuantization.quantize($0, for: .palette256) })
        #expect(nearest.count < Set(Colormap.viridis.palette256Table).count)
    }

    @Test func ditheringMixesNeighboursInProportion() {
        // Halfway between two ANSI stand-ins, half the pixels of a 4×4 tile take each.
        let map = Colormap.grey
        let stops = map.ansi16.count - 1
        let t = Float(1.5) / Float(stops)
        var upper = 0
        for y in 0..<4 {
            for x in 0..<4 where map.color(t, mode: .ansi16, x: x, y: y) == ansi(map.ansi16[2]) { upper += 1 }
        }
        #expect(upper == 8)
        // At a stop exactly, every pixel takes it.
        for y in 0..<4 { for x in 0..<4 { #expect(map.color(Float(1) / Float(stops), mode: .ansi16, x: x, y: y) == ansi(map.ansi16[1])) } }
    }

    @Test func choiceGivesWayToTheDivergingMapForSignedLayers() {
        #expect(ColormapChoice.viridis.map(signed: true) == .diverging)
        #expect(ColormapChoice.magma.map(signed: false) == .magma)
        #expect(ColormapChoice.grey.map(signed: true) == .grey)
        #expect(ColormapChoice.diverging.map(signed: false) == .diverging)
        // White is zero on the diverging map.
        for mode in [ColorMode.truecolor, .palette256] {
            guard case .rgb(let r, let g, let b) = Colormap.diverging.color(0.5, mode: mode) else { Issue.record(); continue }
            #expect(min(r, g, b) >= 230, "\(mode)")
        }
    }

    private func ansi(_ index: Int) -> TerminalColor {
        let rgb = ColorQuantization.ansiColors[index]
        return .rgb(rgb.red, rgb.green, rgb.blue)
    }
}
