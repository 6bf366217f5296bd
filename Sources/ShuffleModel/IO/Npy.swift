import Foundation

/// A dense float array in C (row-major) order, as stored in a `.npy` file.
public struct NpyArray: Equatable, Sendable {
    /// Dimensions, outermost first; `[]` for a scalar.
    public var shape: [Int]
    /// `shape.reduce(1, *)` values, last dimension fastest.
    public var values: [Float]

    public init(shape: [Int], values: [Float]) {
        self.shape = shape
        self.values = values
    }
}

/// Reads and writes numpy's `.npy` format (versions 1.0, 2.0 and 3.0).
///
/// Layout: the magic `\x93NUMPY`, two version bytes, the header length (little-endian `UInt16`
/// in 1.0, `UInt32` in 2.0 and 3.0), the header dictionary (Latin-1, or UTF-8 in 3.0) padded
/// with spaces and ended by a newline, then the raw data.
///
/// Reading accepts little-endian float32 (`'<f4'`), and converts float64 (`'<f8'`) and float16
/// (`'<f2'`) to float32. Everything else is rejected with an `NpyError` naming the file.
public enum Npy {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // "\x93NUMPY"
    /// numpy's own limit on the header (`numpy.lib.format._MAX_HEADER_SIZE`): a real header for
    /// a few dimensions is under 128 bytes, so anything longer is refused before it is decoded.
    public static let maximumHeaderBytes = 10_000
    /// numpy's limit on dimensions (`NPY_MAXDIMS` before numpy 2.0).
    public static let maximumDimensions = 32

    /// Reads the `.npy` file at `url`.
    public static func read(url: URL) throws(NpyError) -> NpyArray {
        let bytes: [UInt8]
        do {
            bytes = try FileReader.bytes(at: url)
        } catch {
            throw .fileSystem(error)
        }
        return try decode(bytes, file: url.path)
    }

    /// Whether `bytes` start with the `.npy` magic string.
    public static func hasMagic(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: magic)
    }

    /// Decodes a complete `.npy` file held in memory. `file` names it in errors.
    public static func decode(_ bytes: [UInt8], file: String) throws(NpyError) -> NpyArray {
        guard hasMagic(bytes) else { throw .notNpy(file: file) }
        guard bytes.count >= 10 else {
            throw .malformedHeader(file: file, reason: "file ends inside the fixed preamble")
        }
        let major = bytes[6]
        let minor = bytes[7]
        let headerStart: Int
        let headerLength: Int
        switch (major, minor) {
        case (1, 0):
            headerStart = 10
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        case (2, 0), (3, 0):
            guard bytes.count >= 12 else {
                throw .malformedHeader(file: file, reason: "file ends inside the fixed preamble")
            }
            headerStart = 12
            headerLength = (8..<12).reduce(0) { $0 | Int(bytes[$1]) << (8 * ($1 - 8)) }
        default:
            throw .unsupportedVersion(file: file, major: major, minor: minor)
        }
        guard headerLength <= maximumHeaderBytes else {
            throw .malformedHeader(
                file: file, reason: "header of \(headerLength) bytes is over numpy's limit of \(maximumHeaderBytes)")
        }
        let dataStart = headerStart + headerLength
        guard dataStart <= bytes.count else {
            throw .malformedHeader(
                file: file, reason: "header claims \(headerLength) bytes but only \(bytes.count - headerStart) follow")
        }

        let headerBytes = bytes[headerStart..<dataStart]
        // Versions 1 and 2 store Latin-1; every valid header is plain ASCII, so only 3.0's
        // UTF-8 needs decoding and any other byte is simply kept for the error message.
        let headerText = major == 3
            ? String(decoding: headerBytes, as: UTF8.self)
            : String(headerBytes.map { Character(Unicode.Scalar($0)) })
        let header: NpyHeader
        do {
            header = try NpyHeader.parse(headerText)
        } catch {
            throw .malformedHeader(file: file, reason: error.reason)
        }
        if header.fortranOrder { throw .fortranOrder(file: file) }
        guard header.shape.count <= maximumDimensions else {
            throw .malformedHeader(
                file: file, reason: "\(header.shape.count) dimensions, more than numpy's \(maximumDimensions)")
        }
        guard let element = ElementType(descr: header.descr) else {
            throw .unsupportedDType(file: file, descr: header.descr)
        }

        var count = 1
        for dimension in header.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            if overflow { throw .malformedHeader(file: file, reason: "shape \(header.shape) is too large") }
            count = product
        }
        let (expectedBytes, overflow) = count.multipliedReportingOverflow(by: element.size)
        if overflow { throw .malformedHeader(file: file, reason: "shape \(header.shape) is too large") }
        let actualBytes = bytes.count - dataStart
        if actualBytes < expectedBytes {
            throw .truncated(file: file, shape: header.shape, expectedBytes: expectedBytes, actualBytes: actualBytes)
        }
        if actualBytes > expectedBytes {
            throw .trailingBytes(file: file, shape: header.shape, expectedBytes: expectedBytes, actualBytes: actualBytes)
        }
        return NpyArray(shape: header.shape, values: element.decode(bytes, from: dataStart, count: count))
    }
}

/// The element types the reader accepts, all little-endian floats.
enum ElementType {
    case float16, float32, float64

    init?(descr: String) {
        switch descr {
        case "<f2": self = .float16
        case "<f4": self = .float32
        case "<f8": self = .float64
        default: return nil
        }
    }

    var size: Int {
        switch self {
        case .float16: 2
        case .float32: 4
        case .float64: 8
        }
    }

    /// `count` values starting at byte `offset`, converted to `Float`.
    func decode(_ bytes: [UInt8], from offset: Int, count: Int) -> [Float] {
        bytes.withUnsafeBytes { raw in
            switch self {
            case .float32:
                return (0..<count).map { index in
                    let bits = raw.loadUnaligned(fromByteOffset: offset + 4 * index, as: UInt32.self)
                    return Float(bitPattern: UInt32(littleEndian: bits))
                }
            case .float64:
                return (0..<count).map { index in
                    let bits = raw.loadUnaligned(fromByteOffset: offset + 8 * index, as: UInt64.self)
                    return Float(Double(bitPattern: UInt64(littleEndian: bits)))
                }
            case .float16:
                return (0..<count).map { index in
                    let bits = raw.loadUnaligned(fromByteOffset: offset + 2 * index, as: UInt16.self)
                    return floatFromHalf(UInt16(littleEndian: bits))
                }
            }
        }
    }
}

/// IEEE 754 binary16 to binary32, written out because `Float16` is not available on every
/// platform Swift supports. Every half value is exactly representable as a `Float`.
func floatFromHalf(_ bits: UInt16) -> Float {
    let sign: Float = bits & 0x8000 != 0 ? -1 : 1
    let exponent = UInt32(bits >> 10) & 0x1F
    let mantissa = UInt32(bits & 0x3FF)
    switch exponent {
    case 0:  // zero or subnormal: mantissa × 2^-24
        return sign * Float(mantissa) * 0x1p-24
    case 0x1F:  // infinity or NaN: keep the payload
        let signBit: UInt32 = bits & 0x8000 != 0 ? 0x8000_0000 : 0
        return Float(bitPattern: signBit | 0x7F80_0000 | mantissa << 13)
    default:  // rebias the exponent from 15 to 127
        let signBit: UInt32 = bits & 0x8000 != 0 ? 0x8000_0000 : 0
        return Float(bitPattern: signBit | (exponent + 112) << 23 | mantissa << 13)
    }
}
