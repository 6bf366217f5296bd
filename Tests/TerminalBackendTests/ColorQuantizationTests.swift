import Testing
import Inspector

typealias RGB = ColorQuantization.RGB

@Suite struct ColorQuantizationTests {
    // Expected indices worked out by hand from the cube levels 0, 95, 135, 175, 215, 255
    // (index 16 + 36r + 6g + b) and the grey ramp 8 + 10k (index 232 + k).
    @Test(arguments: [
        (RGB(red: 255, green: 0, blue: 0), 196),
        (RGB(red: 0, green: 255, blue: 0), 46),
        (RGB(red: 0, green: 0, blue: 255), 21),
        (RGB(red: 0, green: 0, blue: 0), 16),
        (RGB(red: 255, green: 255, blue: 255), 231),
        (RGB(red: 95, green: 135, blue: 175), 67),
        // Cube (135,135,135) is 3 × 7² = 147 away; grey level 128 (k = 12) is exact.
        (RGB(red: 128, green: 128, blue: 128), 244),
        (RGB(red: 8, green: 8, blue: 8), 232),
        (RGB(red: 238, green: 238, blue: 238), 255),
        // Cube (95,95,95) is 75 away, grey 98 (k = 9) only 12.
        (RGB(red: 100, green: 100, blue: 100), 241),
        // 128 is nearer 135 than 95: steps (5, 2, 0).
        (RGB(red: 255, green: 128, blue: 0), 208),
        // 115 is exactly between 95 and 135: the darker level wins.
        (RGB(red: 115, green: 0, blue: 0), 52),
    ])
    func palette256(color: RGB, expected: Int) {
        #expect(ColorQuantization.palette256Index(of: color) == expected)
    }

    @Test func everyCubeAndGreyEntryMapsToItself() {
        for index in 16...255 {
            let color = ColorQuantization.color(ofPalette256Index: index)
            #expect(ColorQuantization.palette256Index(of: color) == index, "index \(index) is \(color)")
        }
    }

    @Test func paletteColors() {
        #expect(ColorQuantization.color(ofPalette256Index: 196) == RGB(red: 255, green: 0, blue: 0))
        #expect(ColorQuantization.color(ofPalette256Index: 67) == RGB(red: 95, green: 135, blue: 175))
        #expect(ColorQuantization.color(ofPalette256Index: 244) == RGB(red: 128, green: 128, blue: 128))
        #expect(ColorQuantization.color(ofPalette256Index: 12) == RGB(red: 92, green: 92, blue: 255))
        #expect(ColorQuantization.color(ofPalette256Index: 300) == RGB(red: 238, green: 238, blue: 238))
    }

    @Test(arguments: [
        (RGB(red: 255, green: 0, blue: 0), 9),
        (RGB(red: 205, green: 0, blue: 0), 1),
        (RGB(red: 0, green: 0, blue: 0), 0),
        (RGB(red: 255, green: 255, blue: 255), 15),
        (RGB(red: 229, green: 229, blue: 229), 7),
        (RGB(red: 128, green: 128, blue: 128), 8),
        (RGB(red: 92, green: 92, blue: 255), 12),
        (RGB(red: 0, green: 0, blue: 255), 4),
        // Red (205,0,0) is 25 + 100² away; yellow (205,205,0) 25 + 105²; bright red 50² + 100².
        (RGB(red: 200, green: 100, blue: 0), 1),
    ])
    func ansi16(color: RGB, expected: Int) {
        #expect(ColorQuantization.ansi16Index(of: color) == expected)
    }

    @Test(arguments: [
        (RGB(red: 255, green: 0, blue: 0), 1),
        (RGB(red: 255, green: 255, blue: 255), 7),
        // White is 3 × 101² = 30603 away, black 3 × 128²; yellow, magenta and cyan are each
        // 2 × 77² + 128² = 28242 away, a three-way tie won by the lowest index, yellow.
        (RGB(red: 128, green: 128, blue: 128), 3),
        (RGB(red: 20, green: 20, blue: 20), 0),
        // Blue (0,0,238): 2 × 92² + 17²; magenta (205,0,205): 113² + 92² + 50².
        (RGB(red: 92, green: 92, blue: 255), 4),
    ])
    func ansi8(color: RGB, expected: Int) {
        #expect(ColorQuantization.ansi8Index(of: color) == expected)
    }

    @Test func quantizeForEachMode() {
        let red = TerminalColor.rgb(255, 0, 0)
        #expect(ColorQuantization.quantize(red, for: .truecolor) == .rgb(RGB(red: 255, green: 0, blue: 0)))
        #expect(ColorQuantization.quantize(red, for: .palette256) == .palette(196))
        #expect(ColorQuantization.quantize(red, for: .ansi16) == .palette(9))
        #expect(ColorQuantization.quantize(red, for: .ansi8) == .palette(1))
        #expect(ColorQuantization.quantize(red, for: .monochrome) == .terminalDefault)
        #expect(ColorQuantization.quantize(.terminalDefault, for: .truecolor) == .terminalDefault)
    }
}
