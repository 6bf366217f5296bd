/// Why a ShuffleNet configuration cannot be built.
public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    case unsupportedGroups(Int)
    case unsupportedWidth(Double)
    /// The input is so small that the named stride-2 layer would receive a 1×1 map.
    case inputTooSmall(size: PlaneSize, minimum: Int, layer: String)
    case inputTooLarge(size: PlaneSize, maximum: Int)
    case invalidClassCount(Int)
    case invalidBatchSize(Int)
    /// Explicit widths that break a divisibility rule of the architecture.
    case invalidWidths([Int], groups: Int, reason: String)
    /// A ShuffleNet v2 width multiplier without released widths.
    case unsupportedV2Width(Double)
    /// Explicit ShuffleNet v2 widths that cannot form a network.
    case invalidV2Widths([Int], reason: String)
    /// An option that only means something for another architecture (`--groups` for v2).
    case notApplicable(option: String, architecture: String)

    public var description: String {
        switch self {
        case .unsupportedGroups(let groups):
            let list = ShuffleNetConfiguration.supportedGroups.map(String.init).joined(separator: ", ")
            return "groups must be one of \(list), not \(groups)"
        case .unsupportedWidth(let width):
            let list = ShuffleNetConfiguration.supportedWidths.map { ShuffleNetConfiguration.label(width: $0) }
            return "width must be one of \(list.joined(separator: ", ")), not \(width)"
        case .inputTooSmall(let size, let minimum, let layer):
            return "input size \(size) is too small: \(layer) would receive a 1×1 map; use at least \(minimum)"
        case .inputTooLarge(let size, let maximum):
            return "input size \(size) is too large; the largest supported is \(maximum)"
        case .invalidClassCount(let classes):
            return "the number of classes must be at least 1, not \(classes)"
        case .invalidBatchSize(let batch):
            return "the batch size must be at least 1, not \(batch)"
        case .invalidWidths(let widths, let groups, let reason):
            return "widths \(widths) do not work with \(groups) groups: \(reason)"
        case .unsupportedV2Width(let width):
            let list = ShuffleNetV2Configuration.supportedWidths.map { ShuffleNetConfiguration.label(width: $0) }
            return "ShuffleNet v2 width must be one of \(list.joined(separator: ", ")), not \(width)"
        case .invalidV2Widths(let widths, let reason):
            return "widths \(widths) cannot form a ShuffleNet v2: \(reason)"
        case .notApplicable(let option, let architecture):
            return "\(option) does not apply to \(architecture)"
        }
    }
}
