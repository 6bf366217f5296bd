import Foundation

/// Writes safetensors files: the header lists tensors in the order given, the data follows in
/// the same order, and the header is padded with spaces to a multiple of 8 bytes so every
/// tensor starts 8-byte aligned in a memory map.
public enum SafeTensorsWriter {
    /// The float encodings a tensor can be written in.
    public enum FloatFormat: Sendable {
        case f32, f16, bf16, f64

        public var dtype: SafeTensorsDType {
            switch self {
            case .f32: return .f32
            case .f16: return .f16
            case .bf16: return .bf16
            case .f64: return .f64
            }
        }
    }

    /// One named tensor, already encoded as little-endian bytes.
    public struct Tensor: Sendable {
        public var name: String
        /// Written to the header as is, so tests can describe any type.
        public var dtype: String
        public var shape: [Int]
        public var bytes: [UInt8]

        public init(name: String, dtype: String, shape: [Int], bytes: [UInt8]) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
            self.bytes = bytes
        }

        /// Encodes `values` (row-major, `shape`) in `format`; half formats round to nearest even.
        public init(name: String, shape: [Int], values: [Float], format: FloatFormat = .f32) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(values.count * format.dtype.byteSize)
            for value in values {
                switch format {
                case .f32: Self.append(value.bitPattern, to: &bytes)
                case .f16: Self.append(HalfPrecision.halfBits(from: value), to: &bytes)
                case .bf16: Self.append(HalfPrecision.bfloatBits(from: value), to: &bytes)
                case .f64: Self.append(Double(value).bitPattern, to: &bytes)
                }
            }
            self.init(name: name, dtype: format.dtype.rawValue, shape: shape, bytes: bytes)
        }

        /// An I64 tensor, e.g. batch norm's `num_batches_tracked` counter.
        public init(name: String, shape: [Int], int64 values: [Int64]) {
            var bytes: [UInt8] = []
            for value in values { Self.append(UInt64(bitPattern: value), to: &bytes) }
            self.init(name: name, dtype: SafeTensorsDType.i64.rawValue, shape: shape, bytes: bytes)
        }

        private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
    }

    /// The complete file contents.
    public static func encode(_ tensors: [Tensor], metadata: [String: String] = [:]) -> Data {
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(JSONText.quote($0)):\(JSONText.quote(metadata[$0] ?? ""))" }
            fields.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for tensor in tensors {
            let end = offset + tensor.bytes.count
            fields.append(
                "\(JSONText.quote(tensor.name)):{\"dtype\":\(JSONText.quote(tensor.dtype)),"
                    + "\"shape\":\(JSONText.array(tensor.shape)),\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array(("{" + fields.joined(separator: ",") + "}").utf8)
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
        var data = Data()
        data.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: header)
        for tensor in tensors { data.append(contentsOf: tensor.bytes) }
        return data
    }

    /// Writes the file atomically (a reader never sees half a file).
    public static func write(_ tensors: [Tensor], metadata: [String: String] = [:], to url: URL) throws(WeightsError) {
        do {
            try encode(tensors, metadata: metadata).write(to: url, options: .atomic)
        } catch {
            throw .writeFailed(file: url.path, reason: error.localizedDescription)
        }
    }
}
