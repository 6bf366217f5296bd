import ShuffleEngine

/// Keeps the engine nodes the output depends on, in order, so the output is the last node.
enum ONNXPruning {
    static func graph(inputShape: Shape, nodes: [Node], origins: [[String]], output: Int) -> Graph {
        var needed = Set([output])
        for index in stride(from: output, through: 0, by: -1) where needed.contains(index) {
            for case .node(let input) in nodes[index].inputs { needed.insert(input) }
        }
        var remap: [Int: Int] = [:]
        var kept: [Node] = []
        for index in 0...output where needed.contains(index) {
            var node = nodes[index]
            node.inputs = node.inputs.map { input in
                if case .node(let old) = input, let new = remap[old] { return .node(new) }
                return input
            }
            remap[index] = kept.count
            kept.append(node)
        }
        return Graph(inputShape: inputShape, nodes: kept)
    }
}
