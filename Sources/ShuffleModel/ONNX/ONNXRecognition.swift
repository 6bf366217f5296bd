import ShuffleEngine

/// Which ShuffleNet an imported graph is, read off its placed steps.
public enum ONNXFamily: String, Sendable, Equatable {
    /// Units joined by residual adds: ShuffleNet v1 (the authors' preprocessing).
    case v1
    /// Concat joins, the shuffle after the concat and a contiguous split: torchvision's v2.
    case v2Torchvision = "v2 torchvision"
    /// Concat joins with the even/odd split (a shuffle read only by the split): the authors' v2.
    case v2Authors = "v2 authors"

    public var architecture: ModelArchitecture { self == .v1 ? .v1 : .v2 }

    /// torchvision's ImageNet transform for torchvision's v2, the authors' BGR 0–255 otherwise.
    public var preprocessing: Preprocessing { self == .v2Torchvision ? .torchvision : .authors }
}

/// What recognition found: the family, the shuffles' groups and convention, the unit count.
struct ONNXRecognition: Equatable {
    var family: ONNXFamily
    var groups: Int
    var convention: ShuffleConvention
    var units: Int

    init(_ graph: Graph, file: String) throws(ONNXError) {
        var shuffles: [(groups: Int, convention: ShuffleConvention, splits: Bool)] = []
        var units = Set<String>()
        var residual = false
        for node in graph.nodes {
            if let unit = node.place.unit { units.insert("\(node.place.section).\(unit)") }
            switch node.op {
            case .channelShuffle(let groups, let convention):
                let splits: Bool
                if case .parts = node.place.bands { splits = true } else { splits = false }
                shuffles.append((groups, convention, splits))
            case .add where node.place.role == .combine && node.place.unit != nil:
                residual = true
            default: break
            }
        }
        guard let first = shuffles.first else {
            throw .unsupportedOp(
                file: file, op: "graph", node: "(whole graph)",
                reason: "no channel shuffle (Reshape → Transpose → Reshape) was found, so this is not a ShuffleNet")
        }
        let groupCounts = Dictionary(grouping: shuffles, by: \.groups).mapValues(\.count)
        groups = groupCounts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key ?? first.groups
        convention = first.convention
        self.units = units.count
        if residual {
            family = .v1
        } else {
            family = shuffles.contains(where: \.splits) ? .v2Authors : .v2Torchvision
        }
    }
}
