/// Little-endian element decoding shared by the PyTorch readers.
enum TensorDecoding {
    /// Element `element` of a little-endian array of `dtype` (a float type) in `raw`, as Float.
    static func float(_ raw: UnsafeRawBufferPointer, element: Int, dtype: SafeTensorsDType) -> Float {
        switch dtype {
        case .f32:
            return Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * element, as: UInt32.self)))
        case .f16:
            return HalfPrecision.float(
                fromHalfBits: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * element, as: UInt16.self)))
        case .bf16:
            return HalfPrecision.float(
                fromBFloatBits: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * element, as: UInt16.self)))
        case .f64:
            return Float(
                Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * element, as: UInt64.self))))
        default:
            return .nan  // unreachable: callers check `decodesToFloat` first
        }
    }
}
