import Foundation
import ShuffleEngine
import Testing

@testable import ShuffleModel

/// One fuzz target per parser: valid seeds, mutated (`Mutator`), must come back as a value that
/// keeps the parser's promises or as the parser's own typed error. A crash, a trap or an
/// unbounded allocation ends the test process, so merely finishing is half the check; the other
/// half is what each target asserts about the values it gets back.
///
/// `scripts/fuzz_soak.sh` runs the same targets with many more iterations and varying seeds.
@Suite struct ParserFuzzTests {
    // MARK: - Seeds

    static func safetensorsSeeds() -> [[UInt8]] {
        let small = SafeTensorsWriter.encode(
            [
                SafeTensorsWriter.Tensor(name: "a", shape: [2, 3], values: [1, 2, 3, 4, 5, 6]),
                SafeTensorsWriter.Tensor(name: "b", shape: [4], values: [7, 8, 9, 10], format: .f16),
                SafeTensorsWriter.Tensor(name: "c", shape: [], int64: [3]),
            ], metadata: ["format": "pt"])
        return [[UInt8](small)]
    }

    static func npySeeds() throws -> [[UInt8]] {
        [
            try Npy.encode(NpyArray(shape: [1, 3, 4, 5], values: (0..<60).map(Float.init))),
            try Npy.encode(NpyArray(shape: [], values: [2])),
        ]
            + (try ["ramp_f8.npy", "halves.npy", "ramp_v2.npy"].map { try Fixtures.bytes(Fixtures.data("npy/\($0)")) })
    }

    static func imageSeeds() throws -> [[UInt8]] {
        let files = ["rgb8.png", "palette2.png", "gray_alpha16.png", "rgb8_interlaced.png", "flat.jpg", "flat_progressive.jpg"]
        return try files.map { try Fixtures.bytes(Fixtures.data("images/\($0)")) }
            + [HandMadeImages.png(width: 7, height: 5), HandMadeImages.ppm(width: 6, height: 4)]
    }

    // MARK: - Targets

    @Test func safetensorsParser() throws {
        var mutator = Mutator()
        var accepted = 0
        for seed in Self.safetensorsSeeds() {
            for bytes in mutator.corpus(from: seed) {
                let file: SafeTensorsFile
                do {
                    file = try SafeTensorsFile(bytes: Data(bytes), path: "fuzz")
                } catch {
                    #expect(error.description.contains("fuzz"), "errors name the file: \(error)")
                    continue
                }
                accepted += 1
                // An accepted header tiles the data section exactly, so every float tensor decodes.
                var covered = 0
                for key in file.keys {
                    guard let entry = file.entries[key] else { continue }
                    covered += entry.offsets.count
                    if entry.dtype.decodesToFloat {
                        #expect(try file.floats(key).values.count == entry.elementCount)
                    }
                }
                let headerLength = (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
                #expect(covered == bytes.count - 8 - headerLength)
            }
        }
        #expect(accepted > 0, "the unmutated seeds at least are accepted")
    }

    @Test func npyParser() throws {
        var mutator = Mutator()
        var accepted = 0
        for seed in try Self.npySeeds() {
            for bytes in mutator.corpus(from: seed) {
                do {
                    let array = try Npy.decode(bytes, file: "fuzz")
                    accepted += 1
                    #expect(array.values.count == array.shape.reduce(1, *))
                    #expect(array.shape.count <= Npy.maximumDimensions)
                } catch {
                    #expect(error.description.contains("fuzz"), "errors name the file: \(error)")
                }
            }
        }
        #expect(accepted > 0)
    }

    /// PNG, JPEG and PPM through the format detection, the decoders and preprocessing, with a
    /// small pixel budget so a lying header cannot make the test allocate much.
    @Test func imageDecoders() throws {
        var mutator = Mutator()
        var accepted = 0
        let budget = 1 << 16
        for seed in try Self.imageSeeds() {
            for bytes in mutator.corpus(from: seed) {
                let image: RGBImage
                do {
                    image = try ImageDecoder.decode(bytes, file: "fuzz", maximumPixels: budget)
                } catch {
                    #expect(error.description.contains("fuzz"), "errors name the file: \(error)")
                    continue
                }
                accepted += 1
                #expect(image.width > 0 && image.height > 0 && image.width * image.height <= budget)
                #expect(image.pixels.count == image.width * image.height * 3)
                let tensor = try Preprocessing.authors.apply(to: image, cropSize: 17)
                #expect(tensor.shape == Shape(n: 1, c: 3, h: 17, w: 17))
            }
        }
        #expect(accepted > 0)
    }
}
