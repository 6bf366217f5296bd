import Foundation
import ShuffleEngine

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
