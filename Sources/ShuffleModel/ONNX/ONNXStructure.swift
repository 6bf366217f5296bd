import ShuffleEngine

/// Recovers sections, units and step labels from an imported graph's structure alone.
///
/// A *cut* is a node after which no later node reads anything before it: the graph narrows to
/// one tensor there. Between consecutive cuts lie segments. A segment holding an Add or Concat
/// of two paths is a unit (its join: a residual add or a concat). A segment of shuffle and
/// split steps only is glue: a shuffle that exists to split (the authors' v2 even/odd split,
/// marked by the lowering) belongs to the unit after it, any other to the unit before it.
/// Segments before the first unit are the stem, after the last the head. A unit whose output
/// plane differs from the previous unit's starts a new stage (stage2, stage3, …).
enum ONNXStructure {
    /// Section marker the lowering puts on shuffles that only feed a split.
    static let splitShuffleMarker = "onnx.split-shuffle"

    static func placed(_ graph: Graph) -> Graph {
        let nodes = graph.nodes
        let count = nodes.count
        guard count > 0 else { return graph }
        var readers = [[Int]](repeating: [], count: count)
        for (index, node) in nodes.enumerated() {
            for case .node(let input) in node.inputs { readers[input].append(index) }
        }
        // Cuts: after node i when every later node reads only i or later nodes.
        var suffixMinimum = [Int](repeating: Int.max, count: count + 1)
        for index in stride(from: count - 1, through: 0, by: -1) {
            let lowest = nodes[index].inputs.map { if case .node(let i) = $0 { return i } else { return -1 } }.min() ?? -1
            suffixMinimum[index] = min(suffixMinimum[index + 1], lowest)
        }
        var segments: [Range<Int>] = []
        var start = 0
        for index in 0..<count where index == count - 1 || suffixMinimum[index + 1] >= index {
            segments.append(start..<(index + 1))
            start = index + 1
        }
        func isJoin(_ node: Node) -> Bool {
            switch node.op {
            case .add, .concat: return node.inputs.count >= 2
            default: return false
            }
        }
        func isGlue(_ segment: Range<Int>) -> Bool {
            segment.allSatisfy {
                switch nodes[$0].op {
                case .channelShuffle, .channelSlice: return true
                default: return false
                }
            }
        }
        // Which unit (an index into `units`) each segment belongs to.
        var unitOf = [Int?](repeating: nil, count: segments.count)
        var units: [[Int]] = []
        for (position, segment) in segments.enumerated() where segment.contains(where: { isJoin(nodes[$0]) }) {
            unitOf[position] = units.count
            units.append(Array(segment))
        }
        for (position, segment) in segments.enumerated() where unitOf[position] == nil && isGlue(segment) {
            let splits = segment.contains { nodes[$0].place.section == splitShuffleMarker }
            let neighbour = splits ? position + 1 : position - 1
            if neighbour >= 0, neighbour < segments.count, let unit = unitOf[neighbour] {
                unitOf[position] = unit
                units[unit] = (units[unit] + Array(segment)).sorted()
            }
        }
        var places = [NodePlace?](repeating: nil, count: count)
        var stage = 1, indexInStage = 0, lastPlane: Int?
        for members in units {
            guard let last = members.last else { continue }
            let plane = nodes[last].outputShape.plane
            if plane != lastPlane {
                stage += 1
                indexInStage = 0
            }
            lastPlane = plane
            indexInStage += 1
            let labels = ONNXUnitLabels.labels(members, nodes: nodes, readers: readers)
            for (member, labelled) in zip(members, labels) {
                places[member] = NodePlace(
                    section: "stage\(stage)", unit: "unit\(indexInStage)", label: labelled.label, role: labelled.role,
                    bands: labelled.bands)
            }
        }
        let firstUnit = places.firstIndex { $0 != nil } ?? count
        var result = nodes
        var usedNames: Set<String> = []
        for index in 0..<count {
            let place = places[index] ?? outsidePlace(nodes[index], beforeUnits: index < firstUnit, stage: stage)
            var name = [place.section, place.unit, place.label].compactMap { $0 }.joined(separator: ".")
            var suffix = 2
            while usedNames.contains(name) {
                name = [place.section, place.unit, "\(place.label)\(suffix)"].compactMap { $0 }.joined(separator: ".")
                suffix += 1
            }
            usedNames.insert(name)
            result[index].name = name
            result[index].place = place
        }
        return Graph(inputShape: graph.inputShape, nodes: result)
    }

    /// The place of a node outside every unit: the stem before them, the head after them.
    private static func outsidePlace(_ node: Node, beforeUnits: Bool, stage: Int) -> NodePlace {
        let section = beforeUnits ? "stem" : "head"
        let label: String, role: StepRole
        switch node.op {
        case .convolution: (label, role) = (beforeUnits ? "conv" : "conv5", beforeUnits ? .stem : .neck)
        case .maxPool: (label, role) = ("maxpool", beforeUnits ? .stem : .pool)
        case .averagePool: (label, role) = ("avgpool", beforeUnits ? .stem : .pool)
        case .globalAveragePool: (label, role) = ("pool", .pool)
        case .linear: (label, role) = ("fc", .classifier)
        case .softmax: (label, role) = ("softmax", .other)
        case .channelShuffle: (label, role) = ("shuffle", .shuffle)
        case .channelSlice: (label, role) = ("split", .split)
        case .add, .concat: (label, role) = ("combine", .combine)
        }
        return NodePlace(section: section, label: label, role: role)
    }
}
