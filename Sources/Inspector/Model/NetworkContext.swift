import ShuffleEngine

/// Everything the reducer and the views derive from a graph alone (no outputs): names, the step
/// tree, each layer's group count, shuffle positions, and which group each channel came from.
struct NetworkContext: Sendable {
    let graph: Graph
    /// The network's g.
    let networkGroups: Int
    let tree: StepTree
    /// Bands a layer's channels are shown in: g inside stages when the channels divide by g,
    /// otherwise 1 (the stem and the head are one group).
    let layerGroups: [Int]
    /// Indices of the channel-shuffle steps.
    let shuffleIndices: [Int]
    /// For each node, each output channel's origin group (the colour it carries): grouped convs
    /// start new origins, shuffles permute them, channel-wise ops keep them.
    let origins: [[Int]]
    /// The same tracking with every shuffle taken as the identity.
    let originsWithoutShuffle: [[Int]]
    /// The node whose output is the logits (the last fully connected layer, else the last node).
    let logitsIndex: Int?

    init(graph: Graph, groups: Int) {
        self.graph = graph
        networkGroups = max(1, groups)
        tree = StepTree(names: graph.nodes.map(\.name))
        let tree = self.tree
        let g = max(1, groups)
        layerGroups = graph.nodes.enumerated().map { index, node in
            let inStage = tree.sections.first { $0.steps.contains(index) }?.isStage ?? false
            return inStage && node.outputShape.c % g == 0 ? g : 1
        }
        shuffleIndices = graph.nodes.indices.filter {
            if case .channelShuffle = graph.nodes[$0].op { return true }
            return false
        }
        origins = NetworkContext.trackOrigins(graph: graph, layerGroups: layerGroups, shuffles: true)
        originsWithoutShuffle = NetworkContext.trackOrigins(graph: graph, layerGroups: layerGroups, shuffles: false)
        logitsIndex = graph.nodes.lastIndex {
            if case .linear = $0.op { return true }
            return false
        } ?? (graph.nodes.isEmpty ? nil : graph.nodes.count - 1)
    }

    var count: Int { graph.nodes.count }

    func node(_ index: Int) -> Node? { graph.nodes.indices.contains(index) ? graph.nodes[index] : nil }

    /// The first grouped convolution after `index` (its input channels are what a shuffle feeds).
    func nextGroupedConvolution(after index: Int) -> Int? {
        guard index + 1 < count else { return nil }
        return ((index + 1)..<count).first {
            if case .convolution(let conv) = graph.nodes[$0].op {
                return conv.groups > 1 && conv.groups != conv.inputChannels
            }
            return false
        }
    }

    /// Origins of a node input.
    func inputOrigins(_ input: NodeInput, withShuffle: Bool) -> [Int] {
        switch input {
        case .graphInput: return Array(repeating: 0, count: graph.inputShape.c)
        case .node(let i): return (withShuffle ? origins : originsWithoutShuffle)[safe: i] ?? []
        }
    }

    /// Matrix `[outputGroup][originGroup]`: how many input channels of each output group of the
    /// grouped convolution at `index` come from each origin group.
    func mixingMatrix(ofConvolutionAt index: Int, withShuffle: Bool) -> [[Int]]? {
        guard let node = node(index), case .convolution(let conv) = node.op, conv.groups > 1,
            let input = node.inputs.first
        else { return nil }
        let inputOrigins = self.inputOrigins(input, withShuffle: withShuffle)
        let perGroup = conv.inputChannels / conv.groups
        let originCount = max(networkGroups, (inputOrigins.max() ?? 0) + 1)
        var matrix = Array(repeating: Array(repeating: 0, count: originCount), count: conv.groups)
        for channel in 0..<min(conv.inputChannels, inputOrigins.count) {
            let group = channel / max(1, perGroup)
            guard group < conv.groups else { continue }
            matrix[group][inputOrigins[channel]] += 1
        }
        return matrix
    }

    private static func trackOrigins(graph: Graph, layerGroups: [Int], shuffles: Bool) -> [[Int]] {
        var origins: [[Int]] = []
        origins.reserveCapacity(graph.nodes.count)
        func of(_ input: NodeInput) -> [Int] {
            switch input {
            case .graphInput: return Array(repeating: 0, count: graph.inputShape.c)
            case .node(let i): return i < origins.count ? origins[i] : []
            }
        }
        for (index, node) in graph.nodes.enumerated() {
            let channels = node.outputShape.c
            let first = node.inputs.first.map(of) ?? []
            var result: [Int]
            switch node.op {
            case .convolution(let conv):
                if conv.groups > 1 && conv.groups == conv.inputChannels && conv.groups == conv.outputChannels {
                    result = first
                } else {
                    let bands = conv.groups > 1 ? conv.groups : layerGroups[index]
                    result = bandOrigins(channels: channels, groups: bands)
                }
            case .channelShuffle(let groups, let convention):
                let used: ShuffleConvention = shuffles ? convention : .disabled
                result = (0..<channels).map { out in
                    let source = Reference.shuffleSource(of: out, channels: channels, groups: groups, convention: used)
                    return first[safe: source] ?? 0
                }
            case .maxPool, .averagePool, .globalAveragePool, .softmax:
                result = first
            case .add:
                result = node.inputs.last.map(of) ?? first
            case .concat:
                result = node.inputs.flatMap(of)
            case .linear:
                result = Array(repeating: 0, count: channels)
            }
            if result.count != channels { result = bandOrigins(channels: channels, groups: layerGroups[index]) }
            origins.append(result)
        }
        return origins
    }

    /// Channel `c` of `channels` split into `groups` contiguous bands belongs to band `c / (channels / groups)`.
    static func bandOrigins(channels: Int, groups: Int) -> [Int] {
        let perGroup = max(1, channels / max(1, groups))
        return (0..<channels).map { min(groups - 1, $0 / perGroup) }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
