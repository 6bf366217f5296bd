/// Why a `.npy` file could not be read, converted or written. Every case names the file.
public enum NpyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened, read or written.
    case fileSystem(FileIOError)
    /// The file does not start with the `\x93NUMPY` magic string.
    case notNpy(file: String)
    /// A format version other than 1.0, 2.0 or 3.0.
    case unsupportedVersion(file: String, major: UInt8, minor: UInt8)
    /// The header is cut short or is not the dictionary the format prescribes.
    case malformedHeader(file: String, reason: String)
    /// The element type is not little-endian float32, float64 or float16.
    case unsupportedDType(file: String, descr: String)
    /// The array is stored in Fortran (column-major) order.
    case fortranOrder(file: String)
    /// Fewer data bytes than the shape requires.
    case truncated(file: String, shape: [Int], expectedBytes: Int, actualBytes: Int)
    /// More data bytes than the shape requires (a header and data that disagree).
    case trailingBytes(file: String, shape: [Int], expectedBytes: Int, actualBytes: Int)
    /// An array to write whose value count is not the product of its shape.
    case valueCountMismatch(file: String, shape: [Int], valueCount: Int)
    /// An array whose shape cannot become the tensor the caller asked for.
    case unsupportedShape(file: String, shape: [Int], expected: String)

    public var description: String {
        switch self {
        case .fileSystem(let error):
            return error.description
        case .notNpy(let file):
            return "\(file): not a .npy file (missing the \\x93NUMPY magic string)"
        case .unsupportedVersion(let file, let major, let minor):
            return "\(file): unsupported .npy format version \(major).\(minor) (supported: 1.0, 2.0, 3.0)"
        case .malformedHeader(let file, let reason):
            return "\(file): malformed .npy header: \(reason)"
        case .unsupportedDType(let file, let descr):
            let endianNote = descr.hasPrefix(">") ? "big-endian data is not supported; " : ""
            return "\(file): unsupported dtype '\(descr)': \(endianNote)expected '<f4' (little-endian float32); '<f8' and '<f2' are converted"
        case .fortranOrder(let file):
            return "\(file): array is stored in Fortran order; save it in C order (numpy.ascontiguousarray)"
        case .truncated(let file, let shape, let expected, let actual):
            return "\(file): truncated data: shape \(shape) needs \(expected) bytes, file has \(actual)"
        case .trailingBytes(let file, let shape, let expected, let actual):
            return "\(file): data size mismatch: shape \(shape) needs \(expected) bytes, file has \(actual)"
        case .valueCountMismatch(let file, let shape, let count):
            return "\(file): shape \(shape) needs \(shape.reduce(1, *)) values, got \(count)"
        case .unsupportedShape(let file, let shape, let expected):
            return "\(file): array of shape \(shape) cannot be used: expected \(expected)"
        }
    }
}
