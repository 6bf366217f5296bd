import Foundation

/// How far side B's tensor is from side A's (the reference), over one step.
///
/// With `e = b − a` over every element:
/// - `maxAbs = max|e|`
/// - `maxRel = max|e| / max|a|` (0 when both are 0; +∞ when only `a` is all zeros)
/// - `cosine = a·b / (‖a‖‖b‖)` (1 when both are all zeros, 0 when only one is)
/// - `sqnrDecibels = 10·log10(Σa² / Σe²)` (+∞ when `e` is all zeros)
///
/// Sums run in Double so that a zero error is exactly zero and small errors are not lost.
public struct ErrorMetrics: Sendable, Equatable {
    public var maxAbs: Double
    public var maxRel: Double
    public var cosine: Double
    public var sqnrDecibels: Double

    /// The metrics of `b` against `a` over the index ranges `ranges` (every element when nil).
    public init(a: [Float], b: [Float], ranges: [Range<Int>]? = nil) {
        var maxError = 0.0, maxReference = 0.0, dot = 0.0, normA = 0.0, normB = 0.0, noise = 0.0
        for range in ranges ?? [0..<min(a.count, b.count)] {
            for i in range {
                let x = Double(a[i]), y = Double(b[i]), e = y - x
                maxError = max(maxError, abs(e))
                maxReference = max(maxReference, abs(x))
                dot += x * y
                normA += x * x
                normB += y * y
                noise += e * e
            }
        }
        maxAbs = maxError
        maxRel = maxReference > 0 ? maxError / maxReference : (maxError == 0 ? 0 : .infinity)
        switch (normA > 0, normB > 0) {
        case (true, true): cosine = dot / (normA.squareRoot() * normB.squareRoot())
        case (false, false): cosine = 1
        default: cosine = 0
        }
        sqnrDecibels = noise > 0 ? 10 * log10(normA / noise) : .infinity
    }
}
