/// A structural check of a JPEG file's header segments, before libjpeg sees it.
///
/// libjpeg accepts some segments that define nothing (a Huffman-table segment of length 2, a
/// quantisation segment with no table) and decodes with whatever tables it already has. Such a
/// file is damaged, so it is refused here. The check walks the marker segments from the
/// start-of-image marker to the first start-of-scan (`FF DA`):
/// - every segment's 16-bit big-endian length counts itself (≥ 2) and stays inside the file;
/// - DHT (`FF C4`) holds one or more tables, each `1 + 16 + Σ counts` bytes with at most 256
///   codes, class 0 or 1 and id 0…3, filling the segment exactly;
/// - DQT (`FF DB`) holds one or more tables of `1 + 64` (8-bit) or `1 + 128` (16-bit) bytes;
/// - SOFn (`FF C0`…`FF CF` except C4, C8, CC) is `8 + 3 · components` bytes long.
enum JPEGSegments {
    static func check(_ bytes: [UInt8]) throws(ImageFormatError) {
        guard bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xD8 else {
            throw ImageFormatError("missing the start-of-image marker")
        }
        var index = 2
        while true {
            // Markers may be preceded by any number of 0xFF fill bytes.
            guard index < bytes.count, bytes[index] == 0xFF else {
                throw ImageFormatError(index < bytes.count
                    ? "expected a marker at byte \(index), found 0x\(String(bytes[index], radix: 16))"
                    : "the file ends before any image data (no start-of-scan marker)")
            }
            while index < bytes.count, bytes[index] == 0xFF { index += 1 }
            guard index < bytes.count else { throw ImageFormatError("the file ends inside a marker") }
            let marker = bytes[index]
            index += 1
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { continue }
            if marker == 0xD9 { throw ImageFormatError("end-of-image marker before any image data") }
            guard index + 2 <= bytes.count else { throw ImageFormatError("the file ends inside the length of segment 0xFF\(hex(marker))") }
            let length = Int(bytes[index]) << 8 | Int(bytes[index + 1])
            guard length >= 2 else { throw ImageFormatError("segment 0xFF\(hex(marker)) has an impossible length \(length)") }
            guard index + length <= bytes.count else {
                throw ImageFormatError("segment 0xFF\(hex(marker)) of \(length) bytes runs past the end of the file")
            }
            let payload = bytes[(index + 2)..<(index + length)]
            switch marker {
            case 0xC4: try checkHuffmanTables(payload)
            case 0xDB: try checkQuantisationTables(payload)
            case 0xC0...0xCF where marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
                guard payload.count >= 6, payload.count == 6 + 3 * Int(payload[payload.startIndex + 5]) else {
                    throw ImageFormatError("frame header 0xFF\(hex(marker)) has \(length) bytes, not 8 + 3 per component")
                }
            case 0xDA: return
            default: break
            }
            index += length
        }
    }

    private static func checkHuffmanTables(_ payload: ArraySlice<UInt8>) throws(ImageFormatError) {
        guard !payload.isEmpty else { throw ImageFormatError("a Huffman-table segment (DHT) defines no table") }
        var index = payload.startIndex
        while index < payload.endIndex {
            guard payload.endIndex - index >= 17 else { throw ImageFormatError("a Huffman table (DHT) is cut short") }
            let classAndId = payload[index]
            guard classAndId >> 4 <= 1, classAndId & 0x0F <= 3 else {
                throw ImageFormatError("a Huffman table (DHT) has class/id 0x\(hex(classAndId))")
            }
            let codes = payload[(index + 1)..<(index + 17)].reduce(0) { $0 + Int($1) }
            guard codes <= 256 else { throw ImageFormatError("a Huffman table (DHT) declares \(codes) codes (at most 256)") }
            guard payload.endIndex - index >= 17 + codes else { throw ImageFormatError("a Huffman table (DHT) is cut short") }
            index += 17 + codes
        }
    }

    private static func checkQuantisationTables(_ payload: ArraySlice<UInt8>) throws(ImageFormatError) {
        guard !payload.isEmpty else { throw ImageFormatError("a quantisation-table segment (DQT) defines no table") }
        var index = payload.startIndex
        while index < payload.endIndex {
            let precision = payload[index] >> 4
            guard precision <= 1, payload[index] & 0x0F <= 3 else {
                throw ImageFormatError("a quantisation table (DQT) has precision/id 0x\(hex(payload[index]))")
            }
            let size = 1 + (precision == 0 ? 64 : 128)
            guard payload.endIndex - index >= size else { throw ImageFormatError("a quantisation table (DQT) is cut short") }
            index += size
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let text = String(byte, radix: 16, uppercase: true)
        return text.count == 1 ? "0" + text : text
    }
}
