/// A number format whose effect on a network the diff simulates, always in Float32 arithmetic:
/// values are rounded (or quantized and dequantized) to what the format can hold, and every
/// kernel still computes in Float32. It shows what storing the weights (and, for int8, the
/// activations) in that format costs, not what a half-precision or integer kernel would compute.
public enum Precision: String, Sendable, CaseIterable, Equatable {
    /// The weights as loaded.
    case f32
    /// Every weight and bias rounded to IEEE half (round to nearest, ties to even, as
    /// `numpy.ndarray.astype(numpy.float16)`); magnitudes above 65504 become ±∞.
    case f16
    /// Every weight and bias rounded to bfloat16 (ties to even, as `torch.Tensor.bfloat16()`).
    case bf16
    /// Weights per output channel symmetric int8, activations per tensor affine uint8 (see
    /// `Int8Quantization`).
    case int8
}

/// Rounding Float32 values to narrower floating-point formats, returned as Float32.
public enum FloatRounding {
    /// The nearest IEEE binary16 value (ties to even; overflow to ±∞; subnormals kept).
    @inlinable
    public static func half(_ value: Float) -> Float { Float(Float16(value)) }

    /// The nearest bfloat16 value: the upper 16 bits of the Float32 after adding
    /// `0x7FFF + lowest kept bit` (round to nearest, ties to even). NaN stays NaN.
    @inlinable
    public static func bfloat16(_ value: Float) -> Float {
        guard !value.isNaN else { return value }
        let bits = value.bitPattern
        let rounded = bits &+ (0x7FFF &+ ((bits >> 16) & 1))
        return Float(bitPattern: rounded & 0xFFFF_0000)
    }

    /// `values` rounded to `precision`'s floating-point format (f32 and int8: unchanged).
    public static func round(_ values: [Float], to precision: Precision) -> [Float] {
        switch precision {
        case .f16: return values.map(half)
        case .bf16: return values.map(bfloat16)
        case .f32, .int8: return values
        }
    }
}
