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

    /// Refuses images over `maximumPixels` before allocating their pixels.
    static func decode(_ bytes: [UInt8], maximumPixels: Int = ImageDecoder.defaultMaximumPixels) throws(ImageFormatError) -> RGBImage {
        guard bytes.starts(with: [UInt8(ascii: "P"), UInt8(ascii: "6")]) else {
            throw ImageFormatError("not a binary PPM (expected \"P6\")")
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
                if value > 1 << 24 { throw ImageFormatError("\(name) is too large") }
                index += 1
            }
            if index == start { throw ImageFormatError("missing \(name) in header") }
            numbers.append(value)
        }
        guard index < bytes.count, isSpace(bytes[index]) else {
            throw ImageFormatError("header must end with one whitespace byte after maxval")
        }
        index += 1
        let (width, height, maxval) = (numbers[0], numbers[1], numbers[2])
        guard maxval == 255 else { throw ImageFormatError("maxval \(maxval) is not supported (only 255)") }
        // Each side is at most 2^24, so the products cannot overflow.
        guard width * height <= maximumPixels else { throw .tooLarge(width: width, height: height) }
        let count = width * height * 3
        guard bytes.count - index >= count else {
            throw ImageFormatError("truncated: \(width)×\(height) needs \(count) bytes of pixels, file has \(bytes.count - index)")
        }
        guard let image = RGBImage(width: width, height: height, pixels: Array(bytes[index..<(index + count)])) else {
            throw ImageFormatError("inconsistent size \(width)×\(height)")
        }
        return image
    }
}

enum ImageFormatError: Error {
    case malformed(String)
    /// The header declares more pixels than the budget.
    case tooLarge(width: Int, height: Int)

    init(_ reason: String) { self = .malformed(reason) }

    var reason: String {
        switch self {
        case .malformed(let reason): reason
        case .tooLarge(let width, let height): "\(width)×\(height) pixels are over the pixel budget"
        }
    }
}
