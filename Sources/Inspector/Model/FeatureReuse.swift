import ShuffleEngine

/// How many units ago each channel was last computed (the ShuffleNet v2 paper's Figure 4 idea):
/// a convolution makes new features (age 0 in its unit); pass-through halves, shuffles, splits,
/// concats and pools carry their channels' ages; every unit boundary makes every channel one
/// unit older.
struct FeatureReuse: Sendable, Equatable {
    /// The unit index (0 for the stem, then 1, 2, … for each unit in order) in which each
    /// channel of each node's output was last computed; nil for nodes with no channel planes.
    let births: [[Int]?]
    /// The unit index of each node: the stem's steps 0, unit k's steps k, the head one past the last unit.
    let unitIndex: [Int]
    /// Nodes whose output is a unit's output (the step carrying its checkpoint module), in order.
    let unitOutputs: [Int]

    init(graph: Graph) {
        var unitIndex: [Int] = []
        var current = 0
        var lastKey: String?
        for node in graph.nodes {
            let key = node.place.unit.map { node.place.section + "." + $0 }
            if let key, key != lastKey {
                current += 1
                lastKey = key
            } else if key == nil, lastKey != nil, node.place.section != "stem" {
                current += 1
                lastKey = nil
            }
            unitIndex.append(current)
        }
        var births: [[Int]?] = []
        func of(_ input: NodeInput) -> [Int]? {
            switch input {
            case .graphInput: return Array(repeating: 0, count: graph.inputShape.c)
            case .node(let i): return births.indices.contains(i) ? births[i] : nil
            }
        }
        for (index, node) in graph.nodes.enumerated() {
            let channels = node.outputShape.c
            let first = node.inputs.first.flatMap(of)
            var result: [Int]?
            switch node.op {
            case .convolution, .add:
                // Even a depthwise conv, which transforms each channel alone, computes a new feature;
                // a residual add recomputes every channel.
                result = Array(repeating: unitIndex[index], count: channels)
            case .channelShuffle(let groups, let convention):
                result = first.map { ages in
                    (0..<channels).map {
                        ages[safe: Reference.shuffleSource(of: $0, channels: channels, groups: groups, convention: convention)] ?? 0
                    }
                }
            case .channelSlice(let start, let count):
                result = first.map { Array($0.dropFirst(start).prefix(count)) }
            case .concat:
                let parts = node.inputs.map(of)
                result = parts.contains { $0 == nil } ? nil : parts.compactMap { $0 }.flatMap { $0 }
            case .maxPool, .averagePool, .globalAveragePool:
                result = first
            case .linear, .softmax:
                result = nil
            }
            if let r = result, r.count != channels { result = nil }
            births.append(result)
        }
        self.births = births
        self.unitIndex = unitIndex
        unitOutputs = graph.nodes.indices.filter { graph.nodes[$0].place.unit != nil && graph.nodes[$0].source != nil }
    }

    /// Each channel's age in units at the node `index` (0: computed in this node's unit).
    func ages(at index: Int) -> [Int]? {
        guard let births = births[safe: index] ?? nil, let unit = unitIndex[safe: index] else { return nil }
        return births.map { max(0, unit - $0) }
    }

    /// Fraction of channels of each age 0…`maximum` (the last bucket holds every older one).
    static func histogram(_ ages: [Int], maximum: Int) -> [Double] {
        var counts = [Int](repeating: 0, count: maximum + 1)
        for age in ages { counts[min(age, maximum)] += 1 }
        let total = Double(max(1, ages.count))
        return counts.map { Double($0) / total }
    }
}
