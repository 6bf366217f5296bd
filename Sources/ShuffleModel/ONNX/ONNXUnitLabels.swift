import ShuffleEngine

/// Labels, roles and channel bands of the steps of one recovered unit, named like the native
/// builders' steps: `pw1`, `dw`, `pw2`, `shuffle`, `pass` / `split`, `shortcut`, `combine` /
/// `concat`, with `branch1.` / `branch2.` in front when both inputs of the join are computed in
/// the unit (v2's stride-2 units).
enum ONNXUnitLabels {
    struct Labelled {
        var label: String
        var role: StepRole
        var bands: ChannelBands
    }

    static func labels(_ members: [Int], nodes: [Node], readers: [[Int]]) -> [Labelled] {
        let inUnit = Set(members)
        let join = members.last { index in
            switch nodes[index].op {
            case .add, .concat: return nodes[index].inputs.count >= 2
            default: return false
            }
        }
        // Which input of the join each member feeds (through steps of this unit).
        var branchOf: [Int: Int] = [:]
        if let join {
            for (branch, input) in nodes[join].inputs.enumerated() {
                guard case .node(let start) = input else { continue }
                var stack = [start]
                while let index = stack.popLast() {
                    guard inUnit.contains(index), branchOf[index] == nil else { continue }
                    branchOf[index] = branch
                    for case .node(let source) in nodes[index].inputs { stack.append(source) }
                }
            }
        }
        let computedBranches = Set(branchOf.filter { entry in
            if case .convolution = nodes[entry.key].op { return true }
            return false
        }.map(\.value))
        let prefixed = computedBranches.count >= 2
        let groups = members.compactMap { index -> Int? in
            if case .channelShuffle(let groups, _) = nodes[index].op { return groups }
            return nil
        }.first
        var counters: [String: Int] = [:]
        var result: [Labelled] = []
        for index in members {
            let node = nodes[index]
            let prefix = prefixed ? branchOf[index].map { "branch\($0 + 1)." } ?? "" : ""
            func numbered(_ base: String) -> String {
                let key = prefix + base
                counters[key, default: 0] += 1
                return key + "\(counters[key] ?? 1)"
            }
            let labelled: Labelled
            switch node.op {
            case .convolution(let conv):
                let grouped: ChannelBands = conv.groups > 1 ? .groups(groups ?? conv.groups) : .whole
                switch conv.kind {
                case .depthwise: labelled = Labelled(label: prefix + "dw", role: .depthwise, bands: groups.map { .groups($0) } ?? .whole)
                case .grouped: labelled = Labelled(label: numbered("pw"), role: .pointwise, bands: grouped)
                case .dense:
                    labelled = Labelled(label: numbered(conv.kernelSize == 1 ? "pw" : "conv"), role: .pointwise, bands: .whole)
                }
            case .channelShuffle(let groups, _):
                let splits = node.place.section == ONNXStructure.splitShuffleMarker
                let half = node.outputShape.c / 2
                let bands: ChannelBands = splits && groups == 2
                    ? .parts([BandPart(name: "even", channels: half), BandPart(name: "odd", channels: half)]) : .groups(groups)
                labelled = Labelled(label: prefix + "shuffle", role: .shuffle, bands: bands)
            case .channelSlice:
                let passes = join.map { readers[index].contains($0) } ?? false
                labelled = Labelled(label: passes ? "pass" : "split", role: .split, bands: .whole)
            case .averagePool, .maxPool:
                labelled = Labelled(label: "shortcut", role: .shortcut, bands: .whole)
            case .add:
                labelled = Labelled(label: index == join ? "combine" : numbered("add"), role: .combine, bands: groups.map { .groups($0) } ?? .whole)
            case .concat:
                let parts = node.inputs.enumerated().map { position, input -> BandPart in
                    var name = "branch\(position + 1)"
                    if case .node(let source) = input {
                        switch nodes[source].op {
                        case .channelSlice: name = "pass"
                        case .averagePool, .maxPool: name = "shortcut"
                        default: break
                        }
                        return BandPart(name: name, channels: nodes[source].outputShape.c)
                    }
                    return BandPart(name: name, channels: 0)
                }
                labelled = Labelled(label: index == join ? "concat" : numbered("concat"), role: .combine, bands: .parts(parts))
            default:
                labelled = Labelled(label: node.op.kind, role: .other, bands: .whole)
            }
            result.append(labelled)
        }
        return result
    }
}
