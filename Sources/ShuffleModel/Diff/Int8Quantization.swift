/// The int8 scheme of `--precision int8`, every step in Float32 arithmetic (IEEE division and
/// multiplication, `rint` = round half to even), so a reference in numpy float32 reproduces it
/// bit for bit (Tests/ModelTests/Fixtures/precision, scripts/make_precision_fixtures.py).
///
/// Weights, per output channel `c` of a convolution `[O, I/g, k, k]` or a linear layer `[O, I]`:
///
///     m_c = max_i |w_ci|;  s_c = m_c / 127  (s_c = 1 when m_c = 0)
///     q_ci = clamp(rint(w_ci / s_c), −127, 127);  w'_ci = q_ci · s_c
///
/// Biases stay Float32 (an int8 runtime keeps them as int32 at the product's scale).
///
/// Activations, per tensor with a range [lo, hi] calibrated over the given input:
///
///     lo' = min(lo, 0);  hi' = max(hi, 0);  s = (hi' − lo') / 255  (s = 1 when 0)
///     z = clamp(rint(−lo' / s), 0, 255)
///     q = clamp(rint(x / s) + z, 0, 255);  x' = (q − z) · s
///
/// which is PyTorch's per-tensor affine `quint8` with a min/max observer.
public enum Int8Quantization {
    /// Quantizes and dequantizes `weights` holding `outputs` equal rows (one per output channel).
    public static func weights(_ weights: [Float], outputs: Int) -> [Float] {
        guard outputs > 0, weights.count % outputs == 0 else { return weights }
        let row = weights.count / outputs
        var result = weights
        for channel in 0..<outputs {
            let range = (channel * row)..<((channel + 1) * row)
            var largest: Float = 0
            for i in range { largest = max(largest, abs(weights[i])) }
            let scale: Float = largest > 0 ? largest / 127 : 1
            for i in range {
                let q = min(max((weights[i] / scale).rounded(.toNearestOrEven), -127), 127)
                result[i] = q * scale
            }
        }
        return result
    }

    /// The affine parameters of a per-tensor range.
    public struct ActivationScale: Sendable, Equatable {
        public var scale: Float
        public var zeroPoint: Float

        /// From the calibrated minimum and maximum of a tensor.
        public init(minimum: Float, maximum: Float) {
            let lo = min(minimum, 0), hi = max(maximum, 0)
            let s = (hi - lo) / 255
            scale = s > 0 ? s : 1
            zeroPoint = min(max((-lo / scale).rounded(.toNearestOrEven), 0), 255)
        }

        /// `x' = (clamp(rint(x / s) + z, 0, 255) − z) · s`.
        @inlinable
        public func apply(_ x: Float) -> Float {
            let q = min(max((x / scale).rounded(.toNearestOrEven) + zeroPoint, 0), 255)
            return (q - zeroPoint) * scale
        }
    }

    /// The minimum and maximum of `values` (0, 0 when empty).
    public static func range(_ values: some Collection<Float>) -> (minimum: Float, maximum: Float) {
        var lo = Float.infinity, hi = -Float.infinity
        for x in values {
            lo = min(lo, x)
            hi = max(hi, x)
        }
        return lo <= hi ? (lo, hi) : (0, 0)
    }
}
