/// Which ShuffleNet family a file's keys belong to, read from key names and shapes alone, so a
/// file the model layer does not load can still be named in `shufflescope models`.
public enum CheckpointFamily: Sendable, Equatable, CustomStringConvertible {
    case shuffleNetV1(groups: Int?)
    /// torchvision's `shufflenet_v2_x*`, with the multiplier whose stage-4 width it has.
    case shuffleNetV2Torchvision(width: Double?)
    /// The ShuffleNet-Series release of v2 (`branch_main`, `branch_proj`).
    case shuffleNetV2Authors(width: Double?)
    case other

    /// torchvision's and the authors' stage-4 widths for 0.5×, 1.0×, 1.5×, 2.0× (REFERENCE.md).
    static let v2StageFour: [Int: Double] = [192: 0.5, 464: 1.0, 704: 1.5, 976: 2.0]

    /// Reads `shapes` (keys as stored; a `module.` prefix is ignored).
    public init(shapes: [String: [Int]]) {
        var plain: [String: [Int]] = [:]
        for (key, shape) in shapes { plain[key.hasPrefix("module.") ? String(key.dropFirst(7)) : key] = shape }
        if plain["stage2.0.branch1.0.weight"] != nil || plain["conv5.0.weight"] != nil {
            self = .shuffleNetV2Torchvision(width: plain["conv5.0.weight"].flatMap { $0.count > 1 ? Self.v2StageFour[$0[1]] : nil })
        } else if plain["features.0.branch_proj.0.weight"] != nil {
            self = .shuffleNetV2Authors(width: plain["conv_last.0.weight"].flatMap { $0.count > 1 ? Self.v2StageFour[$0[1]] : nil })
        } else if plain["first_conv.0.weight"] != nil, plain["features.0.branch_main_1.0.weight"] != nil {
            // Groups from features.1's first convolution: [mid, stage2 / g, 1, 1].
            let stage2 = (plain["features.0.branch_main_2.0.weight"]?.first ?? 0) + (plain["first_conv.0.weight"]?.first ?? 0)
            let perGroup = plain["features.1.branch_main_1.0.weight"].flatMap { $0.count > 1 ? $0[1] : nil } ?? 0
            self = .shuffleNetV1(groups: perGroup > 0 && stage2 % perGroup == 0 ? stage2 / perGroup : nil)
        } else {
            self = .other
        }
    }

    public var isShuffleNet: Bool { self != .other }

    /// The family without its width, e.g. `ShuffleNet v2 (torchvision)`.
    public var name: String {
        switch self {
        case .shuffleNetV1(let groups): return "ShuffleNet v1" + (groups.map { " g=\($0)" } ?? "")
        case .shuffleNetV2Torchvision: return "ShuffleNet v2 (torchvision)"
        case .shuffleNetV2Authors: return "ShuffleNet v2 (authors)"
        case .other: return "not a ShuffleNet"
        }
    }

    /// The width multiplier the shapes match, when they match a released one.
    public var width: Double? {
        switch self {
        case .shuffleNetV2Torchvision(let width), .shuffleNetV2Authors(let width): return width
        case .shuffleNetV1, .other: return nil
        }
    }

    public var description: String { name + (width.map { " \($0)×" } ?? "") }
}
