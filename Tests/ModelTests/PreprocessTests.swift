import Foundation
import ShuffleEngine
import Testing

@testable import ShuffleModel

@Suite struct PreprocessTests {
    /// An image whose three channels are given as separate row-major planes.
    static func image(width: Int, height: Int, red: [Int], green: [Int], blue: [Int]) throws -> RGBImage {
        let pixels = (0..<(width * height)).flatMap { [UInt8(red[$0]), UInt8(green[$0]), UInt8(blue[$0])] }
        return try #require(RGBImage(width: width, height: height, pixels: pixels))
    }

    static func channel(_ image: RGBImage, _ channel: Int) -> [Int] {
        stride(from: channel, to: image.pixels.count, by: 3).map { Int(image.pixels[$0]) }
    }

    /// 2×2 → 4×4 with half-pixel centres: per axis the weights are (1, 0), (¾, ¼), (¼, ¾), (0, 1).
    /// Rows [0, 160] and [64, 240] become (by hand):
    static let enlarged: [Int] = [
        0, 40, 120, 160,
        16, 57, 139, 180,
        48, 91, 177, 220,
        64, 108, 196, 240,
    ]

    @Test func bothResizersEnlarge2x2ByHand() throws {
        let source = try Self.image(width: 2, height: 2, red: [0, 160, 64, 240], green: [77, 77, 77, 77], blue: [255, 95, 191, 15])
        for resized in [Resize.linearOpenCV(source, width: 4, height: 4), Resize.bilinearPillow(source, width: 4, height: 4)] {
            #expect(resized.width == 4 && resized.height == 4)
            #expect(Self.channel(resized, 0) == Self.enlarged)
            #expect(Self.channel(resized, 1) == [Int](repeating: 77, count: 16))
            #expect(Self.channel(resized, 2) == Self.enlarged.map { 255 - $0 })
        }
    }

    /// Halving [0, 70, 140, 210]: OpenCV's two taps average neighbours (35, 175); Pillow's
    /// filter, stretched to support 2, weighs three taps 3/7, 3/7, 1/7 (50) and 1/7, 3/7, 3/7 (160).
    @Test func shrinkingShowsTheAntialiasingDifference() throws {
        let ramp = [0, 70, 140, 210]
        let source = try Self.image(width: 4, height: 1, red: ramp, green: ramp, blue: ramp)
        #expect(Self.channel(Resize.linearOpenCV(source, width: 2, height: 1), 0) == [35, 175])
        #expect(Self.channel(Resize.bilinearPillow(source, width: 2, height: 1), 0) == [50, 160])
    }

    @Test func resizeToTheSameSizeIsIdentity() throws {
        var generator = SplitMix64(seed: 3)
        let pixels = (0..<(9 * 5 * 3)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let source = try #require(RGBImage(width: 9, height: 5, pixels: pixels))
        #expect(Resize.linearOpenCV(source, width: 9, height: 5) == source)
        #expect(Resize.bilinearPillow(source, width: 9, height: 5) == source)
    }

    @Test func resizedSizesFollowEachPipelinesRounding() {
        // 256 / 300 · 451 = 384.85: the authors round (385), torchvision truncates (384).
        #expect(Preprocessing.authors.resizedSize(width: 451, height: 300, shortSide: 256) == (385, 256))
        #expect(Preprocessing.torchvision.resizedSize(width: 451, height: 300, shortSide: 256) == (384, 256))
        #expect(Preprocessing.authors.resizedSize(width: 300, height: 451, shortSide: 256) == (256, 385))
        #expect(Preprocessing.torchvision.resizedSize(width: 300, height: 451, shortSide: 256) == (256, 384))
        #expect(Preprocessing.authors.resizedSize(width: 100, height: 100, shortSide: 256) == (256, 256))
        #expect(Preprocessing.torchvision.resizedSize(width: 100, height: 100, shortSide: 256) == (256, 256))
        #expect(Preprocessing.resizeShortSide(forCrop: 224) == 256)
        #expect(Preprocessing.resizeShortSide(forCrop: 56) == 64)
    }

    @Test func centerOffsetsRoundHalvesToEven() {
        #expect(Preprocessing.centerOffset(256, 224) == 16)
        #expect(Preprocessing.centerOffset(5, 4) == 0)  // 0.5 → 0
        #expect(Preprocessing.centerOffset(7, 4) == 2)  // 1.5 → 2
        #expect(Preprocessing.centerOffset(9, 4) == 2)  // 2.5 → 2
        #expect(Preprocessing.centerOffset(11, 4) == 4)  // 3.5 → 4
        #expect(Preprocessing.centerOffset(385, 224) == 80)  // 80.5 → 80
    }

    /// A 10×6 gradient R = 10x + y needs no resize at short side 6; the 4×4 crop starts at
    /// row round(2 / 2) = 1 and column round(6 / 2) = 3.
    @Test func cropOfAGradientInBGROrder() throws {
        let red = (0..<60).map { 10 * ($0 % 10) + $0 / 10 }
        let source = try Self.image(width: 10, height: 6, red: red, green: [Int](repeating: 5, count: 60), blue: red.map { 255 - $0 })
        let tensor = try Preprocessing.authors.apply(to: source, cropSize: 4, resizeShortSide: 6)
        #expect(tensor.shape == Shape(n: 1, c: 3, h: 4, w: 4))
        for y in 0..<4 {
            for x in 0..<4 {
                let expectedRed = Float(10 * (x + 3) + (y + 1))
                #expect(tensor[0, 2, y, x] == expectedRed)  // R is the last channel
                #expect(tensor[0, 1, y, x] == 5)
                #expect(tensor[0, 0, y, x] == 255 - expectedRed)  // B is the first
            }
        }
    }

    @Test func constantImageInEachPreset() throws {
        let constant = try Self.image(
            width: 3, height: 2, red: [Int](repeating: 255, count: 6), green: [Int](repeating: 0, count: 6),
            blue: [Int](repeating: 128, count: 6))
        let authors = try Preprocessing.authors.apply(to: constant, cropSize: 2)
        #expect(authors.plane(channel: 0).allSatisfy { $0 == 128 })  // B
        #expect(authors.plane(channel: 1).allSatisfy { $0 == 0 })  // G
        #expect(authors.plane(channel: 2).allSatisfy { $0 == 255 })  // R

        let torchvision = try Preprocessing.torchvision.apply(to: constant, cropSize: 2)
        let expected: [Float] = [(1 - 0.485) / 0.229, (0 - 0.456) / 0.224, (Float(128) / 255 - 0.406) / 0.225]
        for channel in 0..<3 {
            #expect(torchvision.plane(channel: channel).allSatisfy { $0 == expected[channel] })
        }
        #expect(abs(expected[0] - 2.2489083) < 1e-6)
    }

    @Test func rejectsEmptyImagesAndBadSizes() throws {
        let empty = try #require(RGBImage(width: 0, height: 3, pixels: []))
        #expect(throws: PreprocessingError.emptyImage(width: 0, height: 3)) {
            try Preprocessing.torchvision.apply(to: empty, cropSize: 224)
        }
        let pixel = try #require(RGBImage(width: 1, height: 1, pixels: [1, 2, 3]))
        #expect(throws: PreprocessingError.invalidSize(cropSize: 0, resizeShortSide: 0)) {
            try Preprocessing.authors.apply(to: pixel, cropSize: 0)
        }
        #expect(throws: PreprocessingError.invalidSize(cropSize: 8, resizeShortSide: 7)) {
            try Preprocessing.authors.apply(to: pixel, cropSize: 8, resizeShortSide: 7)
        }
        // One pixel is enough: it is enlarged to a flat 224×224 crop.
        let tensor = try Preprocessing.authors.apply(to: pixel, cropSize: 224)
        #expect(tensor.shape == Shape(n: 1, c: 3, h: 224, w: 224) && tensor.storage.allSatisfy { $0 == 1 || $0 == 2 || $0 == 3 })
        #expect(tensor[0, 0, 100, 7] == 3 && tensor[0, 2, 223, 223] == 1)
    }
}
