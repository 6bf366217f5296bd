/// The main view on the right of the step list.
public enum InspectorView: String, Sendable, CaseIterable, Hashable {
    /// The step's output as channel thumbnails tiled by group (the default).
    case heatmap
    /// The channel shuffle: permutation, group colours, and the group-mixing matrix.
    case shuffle
    /// Per-step timing over repeated passes, and totals by op type.
    case profile
    /// How many units ago each channel was computed (ShuffleNet v2's feature reuse).
    case reuse

    var title: String {
        switch self {
        case .heatmap: return "heatmaps"
        case .shuffle: return "shuffle"
        case .profile: return "profile"
        case .reuse: return "reuse"
        }
    }
}

/// How far the heatmap view is zoomed in.
public enum HeatmapZoom: Int, Sendable, CaseIterable, Hashable {
    /// Every channel, in one band per group.
    case groups
    /// One group's channels, larger, with a selected channel.
    case group
    /// One channel at full resolution with a pixel cursor.
    case channel
}

/// Which values share one colour scale. Signed layers (any negative value) are always scaled
/// symmetrically around zero so white means zero on the diverging map.
public enum Normalization: String, Sendable, CaseIterable, Hashable {
    case layer
    case group
    case channel
    /// The layer's 1st to 99th percentile: a few outliers no longer squash the rest into one colour.
    case clipped

    var title: String { self == .clipped ? "layer 1–99 %" : "per \(rawValue)" }
}

/// Row order of the profile table.
public enum ProfileSort: String, Sendable, CaseIterable, Hashable {
    case order
    case time
    case multiplyAdds

    var title: String {
        switch self {
        case .order: return "graph order"
        case .time: return "time"
        case .multiplyAdds: return "MACs"
        }
    }
}

/// A `/` search in progress.
public struct SearchState: Equatable, Sendable {
    public var query: String = ""
    /// Index into the matches of the highlighted one.
    public var selection: Int = 0
}

/// All of the inspector's interactive state. It changes only through `InspectorReducer`, one key
/// at a time; the application then brings the executors and caches in line with it.
public struct InspectorState: Equatable, Sendable {
    /// Index of the step shown (0-based); every step up to it has run.
    public var current: Int = 0
    public var view: InspectorView = .heatmap
    public var zoom: HeatmapZoom = .groups
    /// Selected group (0-based) of the current layer.
    public var group: Int = 0
    /// Selected channel (absolute index) when zoomed into a group or a channel.
    public var channel: Int = 0
    /// Pixel cursor (column, row) when zoomed into one channel.
    public var cursorX: Int = 0
    public var cursorY: Int = 0
    public var normalization: Normalization = .layer
    /// The colour map (`m`).
    public var colormap: ColormapChoice = .viridis
    /// The focus view (`f`): one channel (or a group's mean) at full size beside the input.
    public var focus: Bool = false
    /// In the focus view: the mean of the selected group's channels instead of one channel.
    public var focusGroupMean: Bool = false
    /// In the focus view: the class activation map over the input instead of the receptive field.
    public var showsClassMap: Bool = false
    /// Rank (0-based) among the top classes of the class whose activation map is shown.
    public var classRank: Int = 0
    public var search: SearchState? = nil
    public var showHelp: Bool = false
    /// True while the network runs with every shuffle disabled.
    public var ablation: Bool = false
    /// Compare mode: side B beside the run, errors per step (`d`).
    public var compare: Bool = false
    public var profileSort: ProfileSort = .order
    /// Show every unit's steps instead of folding all but the current unit.
    public var expandAllUnits: Bool = false
    /// Bumped to ask for a fresh profile run.
    public var profileGeneration: Int = 0
    /// A one-line notice for the key-hint line, cleared by the next key.
    public var message: String? = nil

    public init() {}
}
