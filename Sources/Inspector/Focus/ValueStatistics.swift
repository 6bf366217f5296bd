/// Statistics of a set of values (one channel, a group, a layer): range, mean, percentiles,
/// the fraction of exact zeros (what a ReLU switched off) and a histogram.
///
/// Percentiles interpolate linearly between order statistics, as numpy's default does:
/// the q-th percentile of n sorted values is `v[⌊h⌋] + (h − ⌊h⌋)·(v[⌊h⌋+1] − v[⌊h⌋])`,
/// `h = (n − 1)·q/100`.
struct ValueStatistics: Equatable, Sendable {
    var count: Int
    var minimum: Float
    var maximum: Float
    var mean: Float
    var percentile1: Float
    var median: Float
    var percentile99: Float
    /// 0…1.
    var zeroFraction: Float
    /// Counts in `bins` equal bins from `minimum` to `maximum` (the last bin includes the maximum).
    var histogram: [Int]

    init(_ values: [Float], bins: Int = 16) {
        let finite = values.filter(\.isFinite)
        let sorted = finite.sorted()
        count = sorted.count
        minimum = sorted.first ?? 0
        maximum = sorted.last ?? 0
        mean = sorted.isEmpty ? 0 : Float(sorted.reduce(0.0) { $0 + Double($1) } / Double(sorted.count))
        percentile1 = ValueStatistics.percentile(sorted, 1)
        median = ValueStatistics.percentile(sorted, 50)
        percentile99 = ValueStatistics.percentile(sorted, 99)
        zeroFraction = sorted.isEmpty ? 0 : Float(sorted.filter { $0 == 0 }.count) / Float(sorted.count)
        var histogram = [Int](repeating: 0, count: max(1, bins))
        let span = maximum - minimum
        for value in sorted {
            let bin = span > 0 ? Int((value - minimum) / span * Float(histogram.count)) : 0
            histogram[min(histogram.count - 1, max(0, bin))] += 1
        }
        self.histogram = histogram
    }

    /// The `q`-th percentile (0…100) of ascending `sorted` values; 0 for none.
    static func percentile(_ sorted: [Float], _ q: Double) -> Float {
        guard let first = sorted.first else { return 0 }
        guard sorted.count > 1 else { return first }
        let h = Double(sorted.count - 1) * max(0, min(100, q)) / 100
        let lower = Int(h.rounded(.down))
        let upper = min(sorted.count - 1, lower + 1)
        let fraction = Float(h - Double(lower))
        return sorted[lower] + fraction * (sorted[upper] - sorted[lower])
    }

    /// The 1st and 99th percentiles of `values` and the 99th percentile of their magnitudes:
    /// the colour scale of the clipped normalisation (non-finite values left out).
    static func clipRange(_ values: [Float]) -> (low: Float, high: Float, absoluteHigh: Float) {
        let sorted = values.filter(\.isFinite).sorted()
        let magnitudes = sorted.map(abs).sorted()
        return (percentile(sorted, 1), percentile(sorted, 99), percentile(magnitudes, 99))
    }
}
