import Foundation
import ShuffleEngine
import Testing

@testable import ShuffleModel

/// Mutations of real checkpoints (zip, deflated zip, legacy): truncation everywhere, bit flips,
/// and lying sizes and offsets. Every case must end either in a loaded archive whose tensors all
/// decode or in one clear `WeightsError`; a crash, a hang or a runaway allocation fails the run.
///
/// `SHUFFLESCOPE_FUZZ_CASES` (mutations per kind and file, default 30) and `SHUFFLESCOPE_FUZZ_SEED`
/// scale it up for a soak run (scripts/fuzz_pytorch_soak.sh).
@Suite struct PyTorchFuzzTests {
    static let environment = ProcessInfo.processInfo.environment
    static let cases = Int(environment["SHUFFLESCOPE_FUZZ_CASES"] ?? "") ?? 30
    static let seed = UInt64(environment["SHUFFLESCOPE_FUZZ_SEED"] ?? "") ?? 2026

    static let corpus = ["v2_legacy_bf16.pth", "v2_zip_f16_module.pth", "v1_g8_f16_zip_deflated.pth"]

    enum Outcome: Equatable { case loaded, refused }

    /// Opens `data` and decodes every tensor; any error must be a single-line `WeightsError` naming the file.
    static func attempt(_ data: Data, label: String) -> Outcome {
        do {
            let archive = try TensorArchives.open(bytes: data, path: label)
            for key in archive.shapes.keys.sorted() {
                if let checkpoint = archive as? PyTorchCheckpoint {
                    _ = try checkpoint.storedBytes(key)
                    if checkpoint.dtype(key)?.decodesToFloat == true { _ = try checkpoint.floats(key) }
                } else {
                    _ = try? archive.floats(key)
                }
            }
            return .loaded
        } catch {
            let text = error.description
            #expect(!text.contains("\n") && text.contains(label), "\(label): \(text)")
            return .refused
        }
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: PyTorchFixtures.folder.appendingPathComponent(name)))
    }

    @Test(arguments: corpus)
    func everyTruncationIsRefused(_ name: String) throws {
        let original = try Self.bytes(name)
        #expect(Self.attempt(Data(original), label: name) == .loaded)
        var lengths = Set(0..<48).union((original.count - 48)..<original.count)
        var random = SplitMix64(seed: Self.seed)
        for _ in 0..<Self.cases { lengths.insert(Int(random.next() % UInt64(original.count))) }
        for length in lengths.sorted() {
            let outcome = Self.attempt(Data(original.prefix(length)), label: "\(name)[..<\(length)]")
            #expect(outcome == .refused, "\(name) cut to \(length) bytes was accepted")
        }
    }

    @Test(arguments: corpus)
    func bitFlipsEndInALoadOrAClearError(_ name: String) throws {
        let original = try Self.bytes(name)
        var random = SplitMix64(seed: Self.seed &+ 1)
        var refused = 0
        for index in 0..<(2 * Self.cases) {
            var mutated = original
            // Half the flips land in the first 4 KB, where the pickle or the zip headers are.
            let span = index % 2 == 0 ? min(4096, original.count) : original.count
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let position = Int(random.next() % UInt64(span))
                mutated[position] ^= UInt8(1) << UInt8(random.next() % 8)
            }
            if Self.attempt(Data(mutated), label: "\(name)#flip\(index)") == .refused { refused += 1 }
        }
        #expect(refused > 0, "some flips must be noticed")
    }

    /// Overwrites sizes and offsets with extreme values: in every zip record (sizes, name and extra
    /// lengths, the local header offset, the directory's count, size and offset) and at random
    /// places in the legacy pickle (string lengths, storage counts).
    @Test(arguments: corpus)
    func lyingSizesAndOffsetsAreRefused(_ name: String) throws {
        let original = try Self.bytes(name)
        let extremes: [UInt64] = [0, 1, 0x7F, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, UInt64.max, UInt64.max / 2]
        var fields: [(offset: Int, width: Int)] = []
        for position in 0..<(original.count - 4) where original[position] == 0x50 && original[position + 1] == 0x4B {
            switch (original[position + 2], original[position + 3]) {
            case (1, 2): fields += [(20, 4), (24, 4), (28, 2), (30, 2), (42, 4)].map { (position + $0.0, $0.1) }
            case (3, 4): fields += [(18, 4), (22, 4), (26, 2), (28, 2)].map { (position + $0.0, $0.1) }
            case (5, 6): fields += [(8, 2), (10, 2), (12, 4), (16, 4)].map { (position + $0.0, $0.1) }
            default: break
            }
        }
        var random = SplitMix64(seed: Self.seed &+ 2)
        if fields.isEmpty {
            for _ in 0..<(2 * Self.cases) {
                fields.append((Int(random.next() % UInt64(min(original.count - 8, 64 * 1024))), [1, 2, 4, 8][Int(random.next() % 4)]))
            }
        }
        var refused = 0, attempts = 0
        for field in fields.shuffled(using: &random).prefix(2 * Self.cases) {
            let value = extremes[Int(random.next() % UInt64(extremes.count))]
            var mutated = original
            for byte in 0..<field.width where field.offset + byte < mutated.count {
                mutated[field.offset + byte] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(byte)))
            }
            attempts += 1
            if Self.attempt(Data(mutated), label: "\(name)@\(field.offset)") == .refused { refused += 1 }
        }
        #expect(attempts > 0 && refused > attempts / 4, "\(refused) of \(attempts) lies noticed")
    }
}
