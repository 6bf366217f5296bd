import Foundation
import ShuffleEngine

/// Deterministic mutations of a valid file, for the parser fuzz targets.
///
/// Three kinds, as a hostile file would use them:
/// - truncation: every prefix of the seed (for seeds up to `exhaustiveTruncation` bytes, else a
///   sample of cut points);
/// - bit flips: 1 to 8 random bits flipped;
/// - lying sizes: a 1-, 2-, 4- or 8-byte field (big- or little-endian) at a random offset
///   overwritten with a boundary value (0, 1, 0x7F…, 0xFF…, a large power of two), which hits
///   length, count and dimension fields however the format stores them.
///
/// `FUZZ_ITERATIONS` and `FUZZ_SEED` in the environment scale and vary a run (the soak script
/// sets them); the defaults keep `swift test` bounded and reproducible.
struct Mutator {
    static let exhaustiveTruncation = 4096

    static var iterations: Int {
        ProcessInfo.processInfo.environment["FUZZ_ITERATIONS"].flatMap(Int.init) ?? 300
    }

    static var seed: UInt64 {
        ProcessInfo.processInfo.environment["FUZZ_SEED"].flatMap(UInt64.init) ?? 0x5EED
    }

    private var random: SplitMix64

    init(seed: UInt64 = Mutator.seed) { random = SplitMix64(seed: seed) }

    private mutating func below(_ bound: Int) -> Int {
        bound <= 1 ? 0 : Int(random.next() % UInt64(bound))
    }

    /// Every prefix of `bytes` (or a spread of them for large seeds), the empty one included.
    func truncations(of bytes: [UInt8]) -> [[UInt8]] {
        let cuts = bytes.count <= Self.exhaustiveTruncation
            ? Array(0..<bytes.count)
            : (0..<Self.exhaustiveTruncation).map { $0 * bytes.count / Self.exhaustiveTruncation }
        return cuts.map { Array(bytes[0..<$0]) }
    }

    mutating func flippingBits(_ bytes: [UInt8]) -> [UInt8] {
        guard !bytes.isEmpty else { return bytes }
        var mutated = bytes
        for _ in 0...below(8) {
            mutated[below(mutated.count)] ^= UInt8(1) << UInt8(below(8))
        }
        return mutated
    }

    mutating func lyingSize(_ bytes: [UInt8]) -> [UInt8] {
        let width = [1, 2, 4, 8][below(4)]
        guard bytes.count >= width else { return bytes }
        let values: [UInt64] = [0, 1, 0x7F, 0xFF, 0x7FFF, 0xFFFF, 0x7FFF_FFFF, 0xFFFF_FFFF, 1 << 40, .max, 100_000_000]
        var value = values[below(values.count)]
        let offset = below(bytes.count - width + 1)
        let bigEndian = below(2) == 0
        var mutated = bytes
        for index in 0..<width {
            let position = bigEndian ? offset + width - 1 - index : offset + index
            mutated[position] = UInt8(truncatingIfNeeded: value)
            value >>= 8
        }
        return mutated
    }

    /// `iterations` mutants of `seed`, alternating bit flips and lying sizes, plus its truncations.
    mutating func corpus(from seed: [UInt8], iterations: Int = Mutator.iterations) -> [[UInt8]] {
        var result = truncations(of: seed)
        for round in 0..<iterations {
            result.append(round % 2 == 0 ? flippingBits(seed) : lyingSize(seed))
        }
        return result
    }
}
