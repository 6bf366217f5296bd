import Foundation
import Testing

@testable import ShuffleModel

/// The DEFLATE decoder on streams made by zlib (raw, `wbits = -15`); the deflated fixture
/// checkpoint covers stored, fixed and dynamic blocks at scale (44 of its entries are dynamic).
@Suite struct InflateTests {
    static let text = Array("hello hello hello hello, shufflescope!".utf8)
    /// zlib level 9, `Z_FIXED`: one fixed-Huffman block with back-references.
    static let fixed: [UInt8] = [
        203, 72, 205, 201, 201, 87, 200, 64, 39, 117, 20, 138, 51, 74, 211, 210, 114, 82, 139, 147, 243, 11, 82, 21, 1,
    ]
    /// zlib level 0: one stored block.
    static let stored: [UInt8] = [1, 38, 0, 217, 255] + text

    static func inflate(_ bytes: [UInt8], _ count: Int) throws(Inflate.Failure) -> [UInt8] {
        let outcome: Result<[UInt8], Inflate.Failure> = bytes.withUnsafeBytes { raw in
            do throws(Inflate.Failure) { return .success(try Inflate.decompress(raw, expectedCount: count)) } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    @Test func decodesFixedAndStoredBlocks() throws {
        #expect(try Self.inflate(Self.fixed, Self.text.count) == Self.text)
        #expect(try Self.inflate(Self.stored, Self.text.count) == Self.text)
        #expect(CRC32.checksum(Self.text) == 0xF556_2639)  // zlib.crc32
    }

    @Test func refusesWrongSizesAndBrokenStreams() {
        func reason(_ bytes: [UInt8], _ count: Int) -> String? {
            do { _ = try Self.inflate(bytes, count) } catch { return error.reason }
            return nil
        }
        #expect(reason(Self.fixed, Self.text.count - 1)?.contains("more than the declared") == true)
        #expect(reason(Self.fixed, Self.text.count + 1)?.contains("not the declared") == true)
        #expect(reason(Array(Self.fixed.prefix(10)), Self.text.count)?.contains("ends early") == true)
        #expect(reason([0x07], 1)?.contains("block type 3") == true)
        var badLength = Self.stored
        badLength[3] ^= 1
        #expect(reason(badLength, Self.text.count)?.contains("length check") == true)
        // A back-reference before the start of the output.
        #expect(reason([0x03, 0x02, 0x00], 10) != nil)
    }
}
