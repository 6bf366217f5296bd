import Foundation
import Testing

@testable import ShuffleModel

@Suite struct ImageDecoderTests {
    static let width = 5
    static let height = 4

    /// The pattern make_image_fixtures.py draws: R = 40x + 10y, G = 200 − 30y, B = 17xy.
    static func pattern(_ x: Int, _ y: Int) -> [UInt8] {
        [UInt8(40 * x + 10 * y), UInt8(200 - 30 * y), UInt8(17 * x * y)]
    }

    static func expectedImage(_ pixel: (Int, Int) -> [UInt8]) -> [UInt8] {
        (0..<height).flatMap { y in (0..<width).flatMap { x in pixel(x, y) } }
    }

    static func decode(_ name: String) throws -> RGBImage {
        let url = Fixtures.data("images/\(name)")
        return try ImageDecoder.decode(Fixtures.bytes(url), file: name)
    }

    @Test(arguments: ["rgb8.png", "rgb8_interlaced.png", "rgb16.png", "rgba8.png", "rgb8_gamma.png"])
    func colourPNGsDecodeToThePattern(name: String) throws {
        let image = try Self.decode(name)
        #expect(image.width == 5 && image.height == 4)
        #expect(image.pixels == Self.expectedImage(Self.pattern))
        #expect(image[2, 1, 0] == 90 && image[2, 1, 1] == 170 && image[2, 1, 2] == 34)
    }

    @Test func grayPNGsBecomeEqualChannels() throws {
        let gray8 = try Self.decode("gray8.png")
        #expect(gray8.pixels == Self.expectedImage { x, y in [UInt8](repeating: UInt8(40 * x + 10 * y), count: 3) })
        // 16-bit gray g·257 keeps its high byte g; the alpha channel is dropped.
        let grayAlpha = try Self.decode("gray_alpha16.png")
        #expect(grayAlpha.pixels == gray8.pixels)
        // 1-bit samples scale to 0 and 255.
        let gray1 = try Self.decode("gray1.png")
        #expect(gray1.pixels == Self.expectedImage { x, y in [UInt8](repeating: (x + y) % 2 == 1 ? 255 : 0, count: 3) })
    }

    @Test func palettePNGExpandsAndIgnoresTransparency() throws {
        let palette: [[UInt8]] = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [9, 99, 199]]
        let image = try Self.decode("palette2.png")
        #expect(image.pixels == Self.expectedImage { x, y in palette[(x + y) % 4] })
    }

    @Test(arguments: ["flat.jpg", "flat_progressive.jpg"])
    func flatColourJPEGDecodesClose(name: String) throws {
        let image = try Self.decode(name)
        #expect(image.width == 16 && image.height == 16)
        // A flat colour survives JPEG up to the rounding of the colour transform.
        let target: [Int] = [200, 100, 50]
        let worst = image.pixels.enumerated().map { abs(Int($0.element) - target[$0.offset % 3]) }.max() ?? 99
        #expect(worst <= 2)
    }

    @Test func grayJPEGBecomesEqualChannels() throws {
        let image = try Self.decode("flat_gray.jpg")
        #expect(image.pixels.allSatisfy { abs(Int($0) - 128) <= 1 })
        #expect(image.pixels.count == 16 * 16 * 3)
    }

    @Test func cmykJPEGIsRejectedWithAReason() throws {
        #expect(throws: InputError.decodeFailed(
            file: "flat_cmyk.jpg", format: .jpeg,
            reason: "CMYK JPEG files are not supported (convert the image to RGB)")) {
            try Self.decode("flat_cmyk.jpg")
        }
    }

    @Test func photosDecodeAtTheirSize() throws {
        let chelsea = try ImageDecoder.decode(Fixtures.bytes(Fixtures.asset("chelsea.jpg")), file: "chelsea.jpg")
        #expect(chelsea.width == 451 && chelsea.height == 300)
        let coffee = try ImageDecoder.decode(Fixtures.bytes(Fixtures.asset("coffee.png")), file: "coffee.png")
        #expect(coffee.width == 384 && coffee.height == 256)
    }

    @Test func detectsFormatsByContentNotName() throws {
        #expect(InputFormat.detect(try Fixtures.bytes(Fixtures.data("images/rgb8.png"))) == .png)
        #expect(InputFormat.detect(try Fixtures.bytes(Fixtures.data("images/flat.jpg"))) == .jpeg)
        #expect(InputFormat.detect(try Fixtures.bytes(Fixtures.data("preprocess/random_7x5.ppm"))) == .ppm)
        #expect(InputFormat.detect(try Fixtures.bytes(Fixtures.data("npy/ramp_v1.npy"))) == .npy)
        #expect(InputFormat.detect(Array("P3\n1 1\n255\n0 0 0\n".utf8)) == nil)
        #expect(InputFormat.detect(Array("GIF89a".utf8)) == nil)
        #expect(InputFormat.detect([]) == nil)
    }

    @Test func unknownBytesNameTheFileAndShowTheStart() {
        let error = InputError.unrecognizedFormat(file: "a.gif", leadingBytes: Array("GIF89a".utf8))
        #expect(throws: error) { try ImageDecoder.decode(Array("GIF89a".utf8), file: "a.gif") }
        #expect(error.description == "a.gif: unrecognized file format (starts with 47 49 46 38 39 61); expected PNG, JPEG, binary PPM (P6) or .npy")
    }
}
