/// The element types a safetensors header may name, with their sizes in bytes.
///
/// Every known type is parsed so a file's offsets can be checked, but only the floating-point
/// ones decode to `Float`: weights in I8/U8 etc. would need a quantisation scheme the format
/// does not describe. F64 is converted (values beyond Float's range become ±Inf and are then
/// rejected by the finiteness check, so nothing is silently clipped).
public enum SafeTensorsDType: String, Sendable, CaseIterable {
    case bool = "BOOL"
    case u8 = "U8"
    case i8 = "I8"
    case f8e5m2 = "F8_E5M2"
    case f8e4m3 = "F8_E4M3"
    case i16 = "I16"
    case u16 = "U16"
    case f16 = "F16"
    case bf16 = "BF16"
    case i32 = "I32"
    case u32 = "U32"
    case f32 = "F32"
    case i64 = "I64"
    case u64 = "U64"
    case f64 = "F64"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .bool, .u8, .i8, .f8e5m2, .f8e4m3: return 1
        case .i16, .u16, .f16, .bf16: return 2
        case .i32, .u32, .f32: return 4
        case .i64, .u64, .f64: return 8
        }
    }

    /// Whether `SafeTensorsFile.floats(_:)` can decode this type.
    public var decodesToFloat: Bool {
        switch self {
        case .f16, .bf16, .f32, .f64: return true
        default: return false
        }
    }
}
