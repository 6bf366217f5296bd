import Foundation

/// A safetensors file, read whole and checked before any tensor is decoded.
///
/// Layout: an 8-byte little-endian header length `N`; `N` bytes of JSON mapping each tensor name
/// to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets relative to the data section)
/// plus an optional `"__metadata__"` map of strings; then the data section.
public struct SafeTensorsFile: Sendable {
    /// Where one tensor lives in the data section.
    public struct Entry: Sendable, Equatable {
        public var dtype: SafeTensorsDType
        public var shape: [Int]
        /// Byte range relative to the start of the data section; `count == elements × dtype size`.
        public var offsets: Range<Int>
        public var elementCount: Int
    }

    /// The format's own limit on the header, which also stops a corrupt length field from
    /// making us parse megabytes of garbage.
    public static let maximumHeaderBytes = 100_000_000

    /// The file path (or a label for in-memory data), used in every error.
    public let path: String
    public let metadata: [String: String]
    public let entries: [String: Entry]
    /// The whole file; the data section starts at `dataStart`.
    private let bytes: Data
    private let dataStart: Int

    /// Tensor names in sorted order.
    public var keys: [String] { entries.keys.sorted() }

    /// The largest weights file read: 4 GiB.
    public static let maximumFileBytes = 1 << 32

    /// Reads and checks the regular file at `url` (special files are refused by kind, see
    /// `FileReader`).
    public init(contentsOf url: URL) throws(WeightsError) {
        let path = url.path
        let bytes: Data
        do {
            bytes = try FileReader.data(at: url, maximumBytes: Self.maximumFileBytes)
        } catch {
            throw .unreadableFile(file: path, reason: error.reason)
        }
        try self.init(bytes: bytes, path: path)
    }

    /// Checks `bytes` as a safetensors file; `path` labels errors.
    public init(bytes: Data, path: String) throws(WeightsError) {
        let header = try SafeTensorsHeader.parse(bytes, path: path)
        self.path = path
        self.bytes = bytes
        self.dataStart = header.dataStart
        self.metadata = header.metadata
        self.entries = header.entries
    }

    /// Decodes the tensor `key` to Float (F32, F16, BF16 or F64).
    public func floats(_ key: String) throws(WeightsError) -> ParameterTensor {
        guard let entry = entries[key] else { throw .missingKeys(file: path, network: nil, keys: [key]) }
        guard entry.dtype.decodesToFloat else {
            throw .unsupportedDtype(file: path, key: key, dtype: entry.dtype.rawValue)
        }
        let start = dataStart + entry.offsets.lowerBound
        let count = entry.elementCount
        let values = bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [Float] in
            [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                for i in 0..<count {
                    buffer[i] = Self.decode(raw, at: start, index: i, dtype: entry.dtype)
                }
                initialized = count
            }
        }
        return ParameterTensor(shape: entry.shape, values: values)
    }

    /// Element `index` of a little-endian array of `dtype` starting at byte `start`.
    private static func decode(_ raw: UnsafeRawBufferPointer, at start: Int, index: Int, dtype: SafeTensorsDType)
        -> Float
    {
        switch dtype {
        case .f32:
            return Float(
                bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 4 * index, as: UInt32.self)))
        case .f16:
            return HalfPrecision.float(
                fromHalfBits: UInt16(
                    littleEndian: raw.loadUnaligned(fromByteOffset: start + 2 * index, as: UInt16.self)))
        case .bf16:
            return HalfPrecision.float(
                fromBFloatBits: UInt16(
                    littleEndian: raw.loadUnaligned(fromByteOffset: start + 2 * index, as: UInt16.self)))
        case .f64:
            return Float(
                Double(
                    bitPattern: UInt64(
                        littleEndian: raw.loadUnaligned(fromByteOffset: start + 8 * index, as: UInt64.self))))
        default:
            return .nan  // unreachable: callers check `decodesToFloat` first
        }
    }
}
