import Foundation
import ShuffleEngine
import Testing

@testable import ShuffleModel

/// Damaged files must produce one clear error, never a crash or a half-invented image.
@Suite struct ImageCorruptionTests {
    static let photos: [(name: String, format: InputFormat)] = [("chelsea.jpg", .jpeg), ("coffee.png", .png), ("rocket.jpg", .jpeg)]

    /// Cut points: inside the signature, inside the headers, throughout the data, and the last bytes.
    static func cutPoints(_ count: Int) -> [Int] {
        let early = [1, 2, 3, 5, 8, 9, 20, 33, 60, 100, 200, 400]
        let spread = (1..<32).map { count * $0 / 32 }
        let late = [count - 100, count - 13, count - 12, count - 5, count - 2, count - 1]
        return Array(Set(early + spread + late)).filter { $0 > 0 && $0 < count }.sorted()
    }

    @Test(arguments: photos.map(\.name))
    func truncatedPhotosFailWithADecodeError(name: String) throws {
        let bytes = try Fixtures.bytes(Fixtures.asset(name))
        let format = try #require(InputFormat.detect(bytes))
        for cut in Self.cutPoints(bytes.count) {
            do {
                let image = try ImageDecoder.decode(Array(bytes[0..<cut]), file: name)
                Issue.record("\(name) cut at \(cut) of \(bytes.count) decoded as \(image.width)×\(image.height)")
            } catch {
                switch error {
                case .decodeFailed(let file, let failedFormat, let reason):
                    #expect(file == name && failedFormat == format && !reason.isEmpty, "cut \(cut): \(error)")
                case .unrecognizedFormat(let file, _):
                    // Only a cut inside the signature loses the format.
                    #expect(file == name && cut < 8, "cut \(cut): \(error)")
                default:
                    Issue.record("cut \(cut): unexpected \(error)")
                }
            }
        }
    }

    @Test func truncatedPNGReasonIsSpecific() throws {
        let bytes = try Fixtures.bytes(Fixtures.asset("coffee.png"))
        #expect(throws: InputError.decodeFailed(file: "coffee.png", format: .png, reason: "file is truncated")) {
            try ImageDecoder.decode(Array(bytes[0..<(bytes.count / 2)]), file: "coffee.png")
        }
    }

    @Test func randomBytesBehindEachSignatureFail() {
        var generator = SplitMix64(seed: 7)
        let signatures: [(InputFormat, [UInt8])] = [
            (.png, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
            (.jpeg, [0xFF, 0xD8, 0xFF]),
            (.ppm, Array("P6\n".utf8)),
        ]
        for (format, signature) in signatures {
            for length in [0, 1, 7, 64, 1000, 20_000] {
                let noise = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                do {
                    let image = try ImageDecoder.decode(signature + noise, file: "noise")
                    Issue.record("\(format) noise of \(length) bytes decoded as \(image.width)×\(image.height)")
                } catch {
                    guard case .decodeFailed(let file, let failedFormat, _) = error else {
                        Issue.record("unexpected \(error)")
                        continue
                    }
                    #expect(file == "noise" && failedFormat == format)
                }
            }
        }
    }

    /// Flipped bytes in the data: PNG's CRCs catch them; JPEG has no checksum, so a flip may
    /// decode to a (wrong) image of the right size. Either way: no crash, and a clear outcome.
    @Test(arguments: photos.map(\.name))
    func flippedBytesNeverCrash(name: String) throws {
        let bytes = try Fixtures.bytes(Fixtures.asset(name))
        let expected = try ImageDecoder.decode(bytes, file: name)
        var generator = SplitMix64(seed: 11)
        for _ in 0..<40 {
            var damaged = bytes
            for _ in 0..<4 {
                let index = Int.random(in: 8..<damaged.count, using: &generator)
                damaged[index] ^= UInt8.random(in: 1...255, using: &generator)
            }
            do {
                let image = try ImageDecoder.decode(damaged, file: name)
                #expect(name.hasSuffix(".jpg"), "a damaged PNG passed its CRC checks")
                #expect(image.width == expected.width && image.height == expected.height)
            } catch {
                guard case .decodeFailed(let file, _, let reason) = error else {
                    Issue.record("unexpected \(error)")
                    continue
                }
                #expect(file == name && !reason.isEmpty)
            }
        }
    }
}
