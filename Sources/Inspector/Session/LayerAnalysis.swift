import ShuffleEngine

/// Statistics of one group's channels.
struct GroupStatistics: Equatable, Sendable {
    var mean: Float
    var minimum: Float
    var maximum: Float
    /// Fraction of values exactly zero (what ReLU switched off), 0...1.
    var zeroFraction: Float
    var absoluteMaximum: Float
}

/// Derived data of one step's output (batch item 0), computed once and cached: ranges for every
/// normalisation, per-channel and per-group statistics.
struct LayerAnalysis: Sendable {
    let shape: Shape
    /// The bands the layer is shown in (conv groups, a concat's sources, or one band).
    let bands: [ChannelBand]
    let minimum: Float
    let maximum: Float
    let absoluteMaximum: Float
    /// `[c]`
    let channelMinimum: [Float]
    let channelMaximum: [Float]
    let channelMean: [Float]
    let groupStatistics: [GroupStatistics]
    /// The layer's 1st and 99th percentiles, and the 99th of |value| (for the clipped scale).
    let percentiles: (low: Float, high: Float, absoluteHigh: Float)

    /// Any negative value: the layer is drawn on the diverging map, symmetric around zero.
    var isSigned: Bool { minimum < 0 }
    /// Number of bands.
    var groups: Int { bands.count }
    /// Channels of band `group` (empty for a band that does not exist).
    func channels(ofBand group: Int) -> Range<Int> { bands[safe: group]?.channels ?? 0..<0 }
    /// Channels of the widest band, for layouts that give every band the same room.
    var widestBand: Int { max(1, bands.map(\.channels.count).max() ?? 1) }

    init(output: Tensor, bands: [ChannelBand]) {
        let shape = output.shape
        self.shape = shape
        self.bands = bands.isEmpty ? [ChannelBand(name: "", channels: 0..<shape.c)] : bands
        let plane = shape.plane
        let channels = shape.c
        var channelMinimum = [Float](repeating: 0, count: channels)
        var channelMaximum = [Float](repeating: 0, count: channels)
        var channelMean = [Float](repeating: 0, count: channels)
        var channelZeros = [Int](repeating: 0, count: channels)
        output.storage.withUnsafeBufferPointer { values in
            for c in 0..<channels {
                let start = c * plane
                guard plane > 0, start + plane <= values.count else { continue }
                var low = values[start], high = values[start], sum: Double = 0, zeros = 0
                for p in start..<(start + plane) {
                    let v = values[p]
                    low = min(low, v)
                    high = max(high, v)
                    sum += Double(v)
                    if v == 0 { zeros += 1 }
                }
                channelMinimum[c] = low
                channelMaximum[c] = high
                channelMean[c] = Float(sum / Double(plane))
                channelZeros[c] = zeros
            }
        }
        percentiles = output.storage.withUnsafeBufferPointer { values in
            ValueStatistics.clipRange(Array(values.prefix(shape.item)))
        }
        self.channelMinimum = channelMinimum
        self.channelMaximum = channelMaximum
        self.channelMean = channelMean
        minimum = channelMinimum.min() ?? 0
        maximum = channelMaximum.max() ?? 0
        absoluteMaximum = max(abs(minimum), abs(maximum))
        groupStatistics = self.bands.map { band in
            let range = band.channels.clamped(to: 0..<channels)
            guard !range.isEmpty else {
                return GroupStatistics(mean: 0, minimum: 0, maximum: 0, zeroFraction: 0, absoluteMaximum: 0)
            }
            let low = range.map { channelMinimum[$0] }.min() ?? 0
            let high = range.map { channelMaximum[$0] }.max() ?? 0
            let mean = range.reduce(Float(0)) { $0 + channelMean[$1] } / Float(range.count)
            let zeros = range.reduce(0) { $0 + channelZeros[$1] }
            return GroupStatistics(
                mean: mean, minimum: low, maximum: high,
                zeroFraction: Float(zeros) / Float(max(1, range.count * plane)),
                absoluteMaximum: max(abs(low), abs(high)))
        }
    }

    /// The group of channel `c`.
    func group(of channel: Int) -> Int { bands.firstIndex { $0.channels.contains(channel) } ?? 0 }

    /// The value range mapped onto the colour scale for `channel`: symmetric around zero for
    /// signed layers (or when the colour map is diverging), else from the scope's minimum to its
    /// maximum. Never empty.
    func range(for channel: Int, normalization: Normalization, symmetric: Bool = false) -> (low: Float, high: Float) {
        let low: Float, high: Float
        switch normalization {
        case .layer:
            (low, high) = (minimum, maximum)
        case .group:
            let stats = groupStatistics[safe: group(of: channel)]
            (low, high) = (stats?.minimum ?? minimum, stats?.maximum ?? maximum)
        case .channel:
            (low, high) = (channelMinimum[safe: channel] ?? minimum, channelMaximum[safe: channel] ?? maximum)
        case .clipped:
            (low, high) = isSigned || symmetric ? (-percentiles.absoluteHigh, percentiles.absoluteHigh)
                : (percentiles.low, percentiles.high)
        }
        if isSigned || symmetric {
            let m = max(abs(low), abs(high))
            return m > 0 ? (-m, m) : (-1, 1)
        }
        return high > low ? (low, high) : (low, low + 1)
    }
}
