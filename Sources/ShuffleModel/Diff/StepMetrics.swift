import Foundation
import ShuffleEngine

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

/// The error of one channel band (a convolution group, a concat's part).
public struct BandError: Sendable, Equatable {
    /// `g1`, `shortcut`, `branch2`; empty for a tensor's only band.
    public var name: String
    public var channels: Range<Int>
    public var metrics: ErrorMetrics
}

/// The comparison of one matched step.
public struct StepComparison: Sendable, Equatable {
    /// Side A's name (the engine's step name when A is a run).
    public var name: String
    public var source: String?
    /// Side B's name when it differs (a PyTorch dump names steps by module).
    public var otherName: String
    public var metrics: ErrorMetrics
    /// Per band of side A's channel bands.
    public var bands: [BandError]

    /// Compares two records of equal element count.
    init(a: StepRecord, b: StepRecord) {
        name = a.name
        source = a.source ?? b.source
        otherName = b.name
        metrics = ErrorMetrics(a: a.values, b: b.values)
        let channels = a.channels, batch = a.batch
        let plane = channels * batch > 0 ? a.values.count / (channels * batch) : 0
        bands = a.bands.ranges(channels: channels).map { band in
            let ranges = (0..<batch).map { n in
                ((n * channels + band.range.lowerBound) * plane)..<((n * channels + band.range.upperBound) * plane)
            }
            return BandError(name: band.name, channels: band.range, metrics: ErrorMetrics(a: a.values, b: b.values, ranges: ranges))
        }
    }
}
