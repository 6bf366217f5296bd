import Foundation

extension ONNXTensor {
    /// The most elements one tensor may declare (256 MiB of floats): a file that declares more
    /// is rejected before anything of that size is allocated.
    static let elementLimit = 1 << 26

    /// ONNX's `TensorProto.DataType` codes this importer reads.
    enum DataType: Int32 {
        case float = 1, uint8 = 2, int8 = 3, uint16 = 4, int16 = 5, int32 = 6, int64 = 7
        case bool = 9, float16 = 10, double = 11, uint32 = 12, uint64 = 13, bfloat16 = 16

        /// Bytes per element in `raw_data`.
        var size: Int {
            switch self {
            case .uint8, .int8, .bool: return 1
            case .uint16, .int16, .float16, .bfloat16: return 2
            case .float, .int32, .uint32: return 4
            case .int64, .double, .uint64: return 8
            }
        }

        var isFloat: Bool { self == .float || self == .float16 || self == .double || self == .bfloat16 }
    }

    /// Decodes a `TensorProto`: its data in `raw_data` (little-endian) or in the typed field
    /// its type uses (`float_data`, `int32_data`, `int64_data`, `double_data`, `uint64_data`).
    /// External data, unknown types, negative or oversized dims and a data length that does not
    /// match the dims are errors naming the tensor.
    init(_ proto: Onnx_TensorProto, file: String) throws(ONNXError) {
        let name = proto.name.isEmpty ? "(unnamed)" : proto.name
        func fail(_ reason: String) -> ONNXError { .invalidTensor(file: file, tensor: name, reason: reason) }
        if proto.dataLocation == .external || !proto.externalData.isEmpty {
            throw .externalData(file: file, tensor: name)
        }
        let dims = proto.dims.map { Int(clamping: $0) }
        guard let count = ONNXTensor.elementCount(dims, limit: ONNXTensor.elementLimit) else {
            throw fail("declares dims \(proto.dims), more than the \(ONNXTensor.elementLimit) elements a tensor may hold")
        }
        guard let type = DataType(rawValue: proto.dataType) else {
            throw fail("data type \(proto.dataType) is not a number type this importer reads")
        }
        if proto.hasRawData {
            let bytes = proto.rawData
            guard bytes.count == count * type.size else {
                throw fail("dims \(dims) need \(count * type.size) bytes of raw_data, the file holds \(bytes.count)")
            }
            self.init(dims: dims, values: Self.decodeRaw(bytes, type: type, count: count))
            return
        }
        let values: Values
        switch type {
        case .float: values = .floats(proto.floatData)
        case .double: values = .floats(proto.doubleData.map { Float($0) })
        case .float16: values = .floats(proto.int32Data.map { HalfPrecision.float(fromHalfBits: UInt16(truncatingIfNeeded: $0)) })
        case .bfloat16: values = .floats(proto.int32Data.map { HalfPrecision.float(fromBFloatBits: UInt16(truncatingIfNeeded: $0)) })
        case .int64: values = .integers(proto.int64Data.map { Int($0) })
        case .uint32, .uint64: values = .integers(proto.uint64Data.map { Int(clamping: $0) })
        case .int32, .int16, .int8, .uint16, .uint8, .bool: values = .integers(proto.int32Data.map { Int($0) })
        }
        let stored: Int
        switch values {
        case .floats(let floats): stored = floats.count
        case .integers(let integers): stored = integers.count
        }
        guard stored == count else { throw fail("dims \(dims) need \(count) values, the file holds \(stored)") }
        self.init(dims: dims, values: values)
    }

    /// `count` little-endian elements of `type` from `bytes` (whose length was checked).
    private static func decodeRaw(_ bytes: Data, type: DataType, count: Int) -> Values {
        bytes.withUnsafeBytes { raw -> Values in
            func load<T: FixedWidthInteger>(_: T.Type, _ index: Int) -> T {
                T(littleEndian: raw.loadUnaligned(fromByteOffset: index * MemoryLayout<T>.size, as: T.self))
            }
            switch type {
            case .float: return .floats((0..<count).map { Float(bitPattern: load(UInt32.self, $0)) })
            case .double: return .floats((0..<count).map { Float(Double(bitPattern: load(UInt64.self, $0))) })
            case .float16: return .floats((0..<count).map { HalfPrecision.float(fromHalfBits: load(UInt16.self, $0)) })
            case .bfloat16: return .floats((0..<count).map { HalfPrecision.float(fromBFloatBits: load(UInt16.self, $0)) })
            case .int64: return .integers((0..<count).map { Int(load(Int64.self, $0)) })
            case .uint64: return .integers((0..<count).map { Int(clamping: load(UInt64.self, $0)) })
            case .int32: return .integers((0..<count).map { Int(load(Int32.self, $0)) })
            case .uint32: return .integers((0..<count).map { Int(load(UInt32.self, $0)) })
            case .int16: return .integers((0..<count).map { Int(load(Int16.self, $0)) })
            case .uint16: return .integers((0..<count).map { Int(load(UInt16.self, $0)) })
            case .int8: return .integers((0..<count).map { Int(load(Int8.self, $0)) })
            case .uint8, .bool: return .integers((0..<count).map { Int(load(UInt8.self, $0)) })
            }
        }
    }
}
