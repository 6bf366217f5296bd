import Testing

@testable import ShuffleModel

@Suite struct ImagePPMTests {
    static func ppm(_ header: String, _ pixels: [UInt8]) -> [UInt8] {
        Array(header.utf8) + pixels
    }

    @Test func decodesHeaderWithCommentsAndOddSpacing() throws {
        let bytes = Self.ppm("P6 # made by hand\n2\t# width\n 1\r\n255\n", [1, 2, 3, 250, 251, 252])
        let image = try ImageDecoder.decode(bytes, file: "hand.ppm")
        #expect(image == RGBImage(width: 2, height: 1, pixels: [1, 2, 3, 250, 251, 252]))
    }

    @Test func ignoresBytesAfterTheRaster() throws {
        let bytes = Self.ppm("P6\n1 1\n255\n", [7, 8, 9]) + Array("P6\n1 1\n255\nabc".utf8)
        #expect(try ImageDecoder.decode(bytes, file: "two.ppm").pixels == [7, 8, 9])
    }

    @Test func fixtureDecodesToItsSize() throws {
        let image = try ImageDecoder.decode(Fixtures.bytes(Fixtures.data("preprocess/random_61x43.ppm")), file: "r")
        #expect(image.width == 61 && image.height == 43 && image.pixels.count == 61 * 43 * 3)
    }

    @Test(arguments: [
        ("P6\n2 1\n65535\n", "maxval 65535 is not supported (only 255)"),
        ("P6\n2 1\n255\n", "truncated: 2×1 needs 6 bytes of pixels, file has 5"),
        ("P6\n2\n", "missing height in header"),
        ("P6\n# only a comment", "missing width in header"),
        ("P6\n2 1 255", "header must end with one whitespace byte after maxval"),
        ("P6\n99999999 1\n255\n", "width is too large"),
    ])
    func rejectsBrokenHeaders(header: String, reason: String) {
        let bytes = Self.ppm(header, [1, 2, 3, 4, 5])
        #expect(throws: InputError.decodeFailed(file: "bad.ppm", format: .ppm, reason: reason)) {
            try ImageDecoder.decode(bytes, file: "bad.ppm")
        }
    }

    @Test func zeroSizedImageIsRejected() {
        #expect(throws: InputError.emptyImage(file: "zero.ppm", width: 0, height: 5)) {
            try ImageDecoder.decode(Self.ppm("P6\n0 5\n255\n", []), file: "zero.ppm")
        }
    }
}
