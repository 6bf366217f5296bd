import Foundation

/// Image files built byte by byte inside the tests, so hostile cases need no committed fixtures.
enum HandMadeImages {
    /// A binary PPM (P6) of `width × height` pixels; `pixel(x, y)` gives R, G, B.
    static func ppm(width: Int, height: Int, pixel: (Int, Int) -> [UInt8] = { x, y in [UInt8(x % 256), UInt8(y % 256), 128] }) -> [UInt8] {
        var bytes = Array("P6\n\(width) \(height)\n255\n".utf8)
        bytes.reserveCapacity(bytes.count + width * height * 3)
        for y in 0..<height {
            for x in 0..<width { bytes += pixel(x, y) }
        }
        return bytes
    }

    /// An 8-bit RGB PNG whose IHDR says `width × height` while its image data holds
    /// `dataWidth × dataHeight` pixels (the same by default), compressed with stored deflate blocks.
    static func png(
        width: Int, height: Int, dataWidth: Int? = nil, dataHeight: Int? = nil,
        pixel: (Int, Int) -> [UInt8] = { x, y in [UInt8(x % 256), UInt8(y % 256), 64] }
    ) -> [UInt8] {
        let rawWidth = dataWidth ?? width
        let rawHeight = dataHeight ?? height
        var raw: [UInt8] = []
        raw.reserveCapacity(rawHeight * (1 + rawWidth * 3))
        for y in 0..<rawHeight {
            raw.append(0)  // filter: none
            for x in 0..<rawWidth { raw += pixel(x, y) }
        }
        var header: [UInt8] = []
        header += bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [8, 2, 0, 0, 0]  // 8-bit, RGB, deflate, adaptive filtering, not interlaced
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            + chunk("IHDR", header) + chunk("IDAT", zlibStored(raw)) + chunk("IEND", [])
    }

    /// A PNG chunk: length, type, data, CRC-32 of type and data.
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
    }

    /// A zlib stream of stored (uncompressed) deflate blocks.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let count = min(65_535, data.count - offset)
            let isLast = offset + count == data.count
            out.append(isLast ? 1 : 0)
            out += [UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            out += data[offset..<(offset + count)]
            offset += count
        } while offset < data.count
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return out + bigEndian(b << 16 | a)
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// `jpeg` with the width and height of its first frame header (SOF0…SOF15) replaced.
    static func jpeg(_ jpeg: [UInt8], settingWidth width: UInt16, height: UInt16) -> [UInt8]? {
        var bytes = jpeg
        var index = 2
        while index + 4 <= bytes.count, bytes[index] == 0xFF {
            let marker = bytes[index + 1]
            let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker), index + 9 <= bytes.count {
                bytes[index + 5] = UInt8(height >> 8)
                bytes[index + 6] = UInt8(height & 0xFF)
                bytes[index + 7] = UInt8(width >> 8)
                bytes[index + 8] = UInt8(width & 0xFF)
                return bytes
            }
            index += 2 + length
        }
        return nil
    }

    /// `jpeg` with a segment (`marker`, then its length and `payload`) inserted right before the
    /// first start-of-scan, where libjpeg has read every table it will use.
    static func jpeg(_ jpeg: [UInt8], inserting marker: UInt8, payload: [UInt8]) -> [UInt8] {
        var index = 2
        while index + 4 <= jpeg.count, jpeg[index] == 0xFF, jpeg[index + 1] != 0xDA {
            index += 2 + (Int(jpeg[index + 2]) << 8 | Int(jpeg[index + 3]))
        }
        let length = payload.count + 2
        return Array(jpeg[0..<index]) + [0xFF, marker, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
            + Array(jpeg[index...])
    }
}
