/// Bit-level conversions between Float and the two 16-bit float formats safetensors files use.
/// Written out by hand because `Float16` is not available on every platform Swift targets.
enum HalfPrecision {
    /// IEEE 754 binary16 bits to Float (exact: every half value is representable).
    static func float(fromHalfBits bits: UInt16) -> Float {
        let sign = UInt32(bits >> 15) << 31
        let exponent = Int((bits >> 10) & 0x1F)
        let mantissa = UInt32(bits & 0x3FF)
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa · 2^-24.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        default:
            return Float(bitPattern: sign | (UInt32(exponent - 15 + 127) << 23) | (mantissa << 13))
        }
    }

    /// Float to binary16 bits, rounding to nearest even; overflow gives ±Inf.
    static func halfBits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        if value.isNaN { return sign | 0x7E00 }
        let magnitude = abs(value)
        if magnitude >= 65520 { return sign | 0x7C00 }  // rounds past the largest half, 65504
        if magnitude < 0x1p-14 {
            // Subnormal half: count of 2^-24 units, rounded to nearest even by Float's rint.
            let units = (magnitude * 0x1p24).rounded(.toNearestOrEven)
            return sign | UInt16(units)
        }
        let exponent = Int((bits >> 23) & 0xFF) - 127 + 15
        let mantissa = bits & 0x7F_FFFF
        var half = UInt32(exponent << 10) | (mantissa >> 13)
        let rest = mantissa & 0x1FFF
        if rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1) { half += 1 }  // may carry into the exponent, which is right
        return sign | UInt16(half)
    }

    /// bfloat16 bits (the top half of a Float) to Float.
    static func float(fromBFloatBits bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// Float to bfloat16 bits, rounding to nearest even.
    static func bfloatBits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(bits >> 16) | 0x0040 }
        let rounding = 0x7FFF + ((bits >> 16) & 1)
        return UInt16((bits &+ rounding) >> 16)
    }
}
