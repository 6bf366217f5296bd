import Foundation
import ShuffleEngine
import Testing

@testable import ShuffleModel

/// Images that are valid but pathological, or that lie about themselves.
@Suite struct HostileImageTests {
    static func randomImage(width: Int, height: Int, seed: UInt64) -> RGBImage? {
        var generator = SplitMix64(seed: seed)
        let pixels = (0..<(width * height * 3)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// The windowed resize computes exactly the window of the full resize, for both resizers,
    /// enlarging and shrinking, both pass orders of Pillow's, windows at every edge.
    @Test(arguments: [(7, 5, 16, 12), (40, 97, 23, 51), (97, 40, 300, 9), (3, 100, 30, 700), (61, 43, 20, 16), (1, 9, 4, 30)])
    func windowEqualsTheCropOfTheFullResize(source: (Int, Int, Int, Int)) throws {
        let (width, height, targetWidth, targetHeight) = source
        let image = try #require(Self.randomImage(width: width, height: height, seed: UInt64(width * 1000 + height)))
        let fullOpenCV = Resize.linearOpenCV(image, width: targetWidth, height: targetHeight)
        let fullPillow = Resize.bilinearPillow(image, width: targetWidth, height: targetHeight)
        let windows = [
            ResizeWindow(columns: 0..<targetWidth, rows: 0..<targetHeight),
            ResizeWindow(columns: 0..<1, rows: 0..<1),
            ResizeWindow(columns: (targetWidth / 3)..<(targetWidth - targetWidth / 4), rows: (targetHeight / 2)..<targetHeight),
            ResizeWindow(columns: (targetWidth - 1)..<targetWidth, rows: 1..<(targetHeight - 1)),
        ]
        for window in windows where !window.columns.isEmpty && !window.rows.isEmpty {
            #expect(Resize.linearOpenCV(image, width: targetWidth, height: targetHeight, window: window)
                == fullOpenCV.crop(rows: window.rows, columns: window.columns))
            #expect(Resize.bilinearPillow(image, width: targetWidth, height: targetHeight, window: window)
                == fullPillow.crop(rows: window.rows, columns: window.columns))
        }
    }

    /// 1×20000 and 100000×1 strips: the resized images would be 256 × 5 120 000 and
    /// 25 600 000 × 256 pixels; only the 224² crop is computed.
    @Test(arguments: [(1, 20_000), (100_000, 1), (60_000, 2)])
    func extremeAspectRatiosPreprocessOnlyTheCrop(size: (Int, Int)) throws {
        let (width, height) = size
        let bytes = HandMadeImages.ppm(width: width, height: height) { x, y in [UInt8((x + y) % 251), 7, 200] }
        for preset in Preprocessing.allCases {
            let tensor = try InputLoader.load(bytes: bytes, file: "strip.ppm", preprocessing: preset, size: 224)
            #expect(tensor.shape == Shape(n: 1, c: 3, h: 224, w: 224))
            // Channel G (index 1 in either order) is the constant 7 everywhere, however resized.
            let green = preset == .authors ? Float(7) : (Float(7) / 255 - Preprocessing.torchvisionMean[1]) / Preprocessing.torchvisionStd[1]
            #expect(tensor.storage[(224 * 224)..<(2 * 224 * 224)].allSatisfy { $0 == green })
        }
    }

    @Test func cropSizesBeyondTheLimitAreRefusedWithoutArithmetic() throws {
        let image = try #require(Self.randomImage(width: 4, height: 4, seed: 1))
        for size in [4097, 100_000, 9_000_000_000_000_000_000, Int.max] {
            #expect(throws: PreprocessingError.cropTooLarge(cropSize: size, maximum: 4096)) {
                try Preprocessing.authors.apply(to: image, cropSize: size)
            }
        }
        #expect(Preprocessing.resizeShortSide(forCrop: Int.max) == Int.max)
        #expect(Preprocessing.resizeShortSide(forCrop: 224) == 256)
        #expect(Preprocessing.resizeShortSide(forCrop: 4096) == 4681)
    }

    @Test func headersOverThePixelBudgetAreRefusedBeforeDecoding() throws {
        // A PNG and a PPM that declare 100000×100000 with almost no data, a JPEG patched to 60000².
        let png = HandMadeImages.png(width: 100_000, height: 100_000, dataWidth: 1, dataHeight: 1)
        #expect(throws: InputError.imageTooLarge(file: "bomb.png", format: .png, width: 100_000, height: 100_000, limit: 1 << 26)) {
            try ImageDecoder.decode(png, file: "bomb.png")
        }
        let ppm = Array("P6 100000 100000 255\n".utf8) + [1, 2, 3]
        #expect(throws: InputError.imageTooLarge(file: "bomb.ppm", format: .ppm, width: 100_000, height: 100_000, limit: 1 << 26)) {
            try ImageDecoder.decode(ppm, file: "bomb.ppm")
        }
        let flat = try Fixtures.bytes(Fixtures.data("images/flat.jpg"))
        let jpeg = try #require(HandMadeImages.jpeg(flat, settingWidth: 60_000, height: 60_000))
        #expect(throws: InputError.imageTooLarge(file: "bomb.jpg", format: .jpeg, width: 60_000, height: 60_000, limit: 1 << 26)) {
            try ImageDecoder.decode(jpeg, file: "bomb.jpg")
        }
        // The budget is the caller's: a 20×20 image is refused under a 399-pixel budget only.
        let small = HandMadeImages.png(width: 20, height: 20)
        #expect(throws: InputError.imageTooLarge(file: "s.png", format: .png, width: 20, height: 20, limit: 399)) {
            try ImageDecoder.decode(small, file: "s.png", maximumPixels: 399)
        }
        #expect(try ImageDecoder.decode(small, file: "s.png", maximumPixels: 400).width == 20)
        #expect(try ImageDecoder.decode(HandMadeImages.ppm(width: 20, height: 20), file: "s.ppm", maximumPixels: 400).height == 20)
    }

    @Test func aPNGWhoseHeaderUndercountsItsDataIsRefused() throws {
        let honest = HandMadeImages.png(width: 64, height: 48)
        let decoded = try ImageDecoder.decode(honest, file: "ok.png")
        #expect(decoded.width == 64 && decoded.height == 48 && decoded.pixels[3 * 65] == 1)
        let lying = HandMadeImages.png(width: 1, height: 1, dataWidth: 64, dataHeight: 48)
        #expect(throws: InputError.decodeFailed(
            file: "lie.png", format: .png, reason: "the image data holds more rows or bytes than the header declares")
        ) { try ImageDecoder.decode(lying, file: "lie.png") }
    }

    @Test func jpegSegmentsThatDefineNothingAreRefused() throws {
        let flat = try Fixtures.bytes(Fixtures.data("images/flat.jpg"))
        #expect(try ImageDecoder.decode(flat, file: "flat.jpg").width > 0)
        let cases: [(UInt8, [UInt8], String)] = [
            (0xC4, [], "a Huffman-table segment (DHT) defines no table"),
            (0xC4, [0x00] + [UInt8](repeating: 0, count: 15) + [2, 1], "a Huffman table (DHT) is cut short"),
            (0xDB, [], "a quantisation-table segment (DQT) defines no table"),
            (0xDB, [0x00, 1, 2, 3], "a quantisation table (DQT) is cut short"),
        ]
        for (marker, payload, reason) in cases {
            let bytes = HandMadeImages.jpeg(flat, inserting: marker, payload: payload)
            #expect(throws: InputError.decodeFailed(file: "bad.jpg", format: .jpeg, reason: reason)) {
                try ImageDecoder.decode(bytes, file: "bad.jpg")
            }
        }
        // A segment whose length runs past the end of the file.
        let cut = Array(flat[0..<2]) + [0xFF, 0xE1, 0x40, 0x00, 1, 2]
        #expect(throws: InputError.decodeFailed(
            file: "cut.jpg", format: .jpeg, reason: "segment 0xFFE1 of 16384 bytes runs past the end of the file")
        ) { try ImageDecoder.decode(cut, file: "cut.jpg") }
    }
}
