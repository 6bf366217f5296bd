/// Where a node sits in its network and how its output channels divide, written by the builder
/// (or importer) that made the node, so that views and reports read structure instead of
/// parsing names.
public struct NodePlace: Sendable, Equatable {
    /// The block the node belongs to: `stem`, `stage3`, `head`.
    public var section: String
    /// The unit inside a stage (`unit2`), nil for steps outside units.
    public var unit: String?
    /// The step's name inside its unit or section: `pw1`, `branch2.dw`, `shuffle`, `conv`.
    public var label: String
    /// What the step does inside its unit.
    public var role: StepRole
    /// How the node's output channels divide into bands for display.
    public var bands: ChannelBands

    public init(section: String, unit: String? = nil, label: String, role: StepRole = .other, bands: ChannelBands = .whole) {
        self.section = section
        self.unit = unit
        self.label = label
        self.role = role
        self.bands = bands
    }

    /// A node nobody described: its whole name is its section and its label, one band.
    public static func unplaced(_ name: String) -> NodePlace {
        NodePlace(section: name, label: name)
    }
}

/// What a step does inside its unit, for views that treat kinds of steps alike.
public enum StepRole: String, Sendable, Equatable, CaseIterable {
    /// The stem's convolution or pool.
    case stem
    /// A 1×1 convolution (grouped or dense) inside a unit.
    case pointwise
    /// A depthwise convolution inside a unit.
    case depthwise
    /// A channel shuffle.
    case shuffle
    /// A channel split (v2): one half passes through, the other is computed.
    case split
    /// The shortcut path of a stride-2 unit (v1's average pool).
    case shortcut
    /// Where a unit's paths join (add or concat, with ReLU).
    case combine
    /// The last 1×1 convolution before the head (v2's conv5).
    case neck
    /// Global pooling before the classifier.
    case pool
    /// The classifier.
    case classifier
    case other
}

/// How a tensor's channels divide into contiguous bands.
public enum ChannelBands: Sendable, Equatable {
    /// A dense tensor: one band.
    case whole
    /// `count` equal convolution groups.
    case groups(Int)
    /// Consecutive named parts, e.g. a concat's sources (`shortcut` 24, `branch` 216) or v2's
    /// passed-through and computed halves.
    case parts([BandPart])

    /// The bands as (name, channel range), for `channels` channels.
    public func ranges(channels: Int) -> [(name: String, range: Range<Int>)] {
        switch self {
        case .whole:
            return [("", 0..<channels)]
        case .groups(let count):
            let count = max(1, count)
            guard channels % count == 0 else { return [("", 0..<channels)] }
            let size = channels / count
            return (0..<count).map { ("g\($0 + 1)", ($0 * size)..<(($0 + 1) * size)) }
        case .parts(let parts):
            var start = 0
            var result: [(name: String, range: Range<Int>)] = []
            for part in parts {
                let end = min(channels, start + part.channels)
                result.append((part.name, start..<end))
                start = end
            }
            if start < channels { result.append(("", start..<channels)) }
            return result
        }
    }
}

/// One named run of channels in `ChannelBands.parts`.
public struct BandPart: Sendable, Equatable {
    public var name: String
    public var channels: Int

    public init(name: String, channels: Int) {
        self.name = name
        self.channels = channels
    }
}
