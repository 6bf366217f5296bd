/// Binary portable pixmaps (Netpbm `P6`) with maxval 255.
///
/// Header: `P6`, then width, height and maxval as decimal numbers separated by whitespace, with
/// `#` comments running to the end of a line; exactly one whitespace byte, then
/// `width * height * 3` bytes of R, G, B. Bytes after the raster (a following image in a
/// multi-image file) are ignored.
enum PPMDecoder {
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0B || byte == 0x0C || byte == 0x0D
    }

    static func decode(_ bytes: [UInt8]) throws(PPMError) -> RGBImage {
        guard bytes.starts(with: [UInt8(ascii: "P"), UInt8(ascii: "6")]) else {
            throw PPMError("not a binary PPM (expected \"P6\")")
        }
        var index = 2
        var numbers: [Int] = []
        for name in ["width", "height", "maxval"] {
            // Whitespace and comments before each number.
            while index < bytes.count, isSpace(bytes[index]) || bytes[index] == UInt8(ascii: "#") {
                if bytes[index] == UInt8(ascii: "#") {
                    while index < bytes.count, bytes[index] != 0x0A, bytes[index] != 0x0D { index += 1 }
                } else {
                    index += 1
                }
            }
            var value = 0
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                if value > 1 << 24 { throw PPMError("\(name) is too large") }
                index += 1
            }
            if index == start { throw PPMError("missing \(name) in header") }
            numbers.append(value)
        }
        guard index < bytes.count, isSpace(bytes[index]) else {
            throw PPMError("header must end with one whitespace byte after maxval")
        }
        index += 1
        let (width, height, maxval) = (numbers[0], numbers[1], numbers[2])
        guard maxval == 255 else { throw PPMError("maxval \(maxval) is not supported (only 255)") }
        let count = width * height * 3
        guard bytes.count - index >= count else {
            throw PPMError("truncated: \(width)×\(height) needs \(count) bytes of pixels, file has \(bytes.count - index)")
        }
        guard let image = RGBImage(width: width, height: height, pixels: Array(bytes[index..<(index + count)])) else {
            throw PPMError("inconsistent size \(width)×\(height)")
        }
        return image
    }
}

struct PPMError: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
