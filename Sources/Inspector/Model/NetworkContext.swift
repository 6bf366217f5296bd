import ShuffleEngine

/// Everything the reducer and the views derive from a graph alone (no outputs): names, the step
/// tree, each layer's group count, shuffle positions, and which group each channel came from.
struct NetworkContext: Sendable {
    let graph: Graph
    /// The network's g.
    let networkGroups: Int
    let tree: StepTree
    /// Bands each layer's channels are shown in, as its builder described them (conv groups,
    /// a concat's sources, v2's halves, or one band for a dense tensor).
    let layerBands: [[ChannelBand]]
    /// Indices of the channel-shuffle steps.
    let shuffleIndices: [Int]
    /// For each node, each output channel's origin group (the colour it carries): grouped convs
    /// start new origins, shuffles permute them, channel-wise ops keep them.
    let origins: [[Int]]
    /// The same tracking with every shuffle taken as the identity.
    let originsWithoutShuffle: [[Int]]
    /// How many units ago each channel was computed, for the feature-reuse view.
    let reuse: FeatureReuse
    /// The node whose output is the logits (the last fully connected layer, else the last node).
    let logitsIndex: Int?

    init(graph: Graph, groups: Int) {
        self.graph = graph
        networkGroups = max(1, groups)
        tree = StepTree(places: graph.nodes.map(\.place))
        layerBands = graph.nodes.map { node in
            node.place.bands.ranges(channels: node.outputShape.c).map { ChannelBand(name: $0.name, channels: $0.range) }
        }
        shuffleIndices = graph.nodes.indices.filter {
            if case .channelShuffle = graph.nodes[$0].op { return true }
            return false
        }
        reuse = FeatureReuse(graph: graph)
        origins = NetworkContext.trackOrigins(graph: graph, layerBands: layerBands, shuffles: true)
        originsWithoutShuffle = NetworkContext.trackOrigins(graph: graph, layerBands: layerBands, shuffles: false)
        logitsIndex = graph.nodes.lastIndex {
            if case .linear = $0.op { return true }
            return false
        } ?? (graph.nodes.isEmpty ? nil : graph.nodes.count - 1)
    }

    var count: Int { graph.nodes.count }

    /// Number of bands of the layer at `index` (1 when unknown).
    func bandCount(_ index: Int) -> Int { max(1, layerBands[safe: index]?.count ?? 1) }

    /// Channels of band `band` of the layer at `index` (the whole layer when there is no such band).
    func band(_ band: Int, of index: Int) -> Range<Int> {
        if let bands = layerBands[safe: index], let found = bands[safe: band] { return found.channels }
        return 0..<(node(index)?.outputShape.c ?? 0)
    }

    /// The band of the layer at `index` holding `channel`.
    func band(containing channel: Int, of index: Int) -> Int {
        layerBands[safe: index]?.firstIndex { $0.channels.contains(channel) } ?? 0
    }

    func node(_ index: Int) -> Node? { graph.nodes.indices.contains(index) ? graph.nodes[index] : nil }

    /// The first grouped convolution after `index` (its input channels are what a shuffle feeds).
    func nextGroupedConvolution(after index: Int) -> Int? {
        guard index + 1 < count else { return nil }
        return ((index + 1)..<count).first {
            if case .convolution(let conv) = graph.nodes[$0].op { return conv.kind == .grouped }
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
        guard let node = node(index), case .convolution(let conv) = node.op, conv.kind == .grouped,
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

    private static func trackOrigins(graph: Graph, layerBands: [[ChannelBand]], shuffles: Bool) -> [[Int]] {
        var origins: [[Int]] = []
        origins.reserveCapacity(graph.nodes.count)
        var readByShuffle = [Bool](repeating: false, count: graph.nodes.count)
        for node in graph.nodes {
            guard case .channelShuffle = node.op else { continue }
            for case .node(let i) in node.inputs where readByShuffle.indices.contains(i) { readByShuffle[i] = true }
        }
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
                switch conv.kind {
                case .depthwise: result = first
                case .grouped: result = bandOrigins(channels: channels, groups: conv.groups)
                case .dense: result = bandOrigins(layerBands[index], channels: channels)
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
                // A concat whose parts a shuffle interleaves next (ShuffleNet v2) starts one
                // colour per part; otherwise channels keep the colours they carry.
                result = readByShuffle[index] ? bandOrigins(layerBands[index], channels: channels) : node.inputs.flatMap(of)
            case .channelSlice(let start, let count):
                result = Array(first.dropFirst(start).prefix(count))
            case .linear:
                result = Array(repeating: 0, count: channels)
            }
            if result.count != channels { result = bandOrigins(layerBands[index], channels: channels) }
            origins.append(result)
        }
        return origins
    }

    /// Each channel's band index.
    static func bandOrigins(_ bands: [ChannelBand], channels: Int) -> [Int] {
        var result = [Int](repeating: 0, count: channels)
        for (index, band) in bands.enumerated() {
            for channel in band.channels where channel < channels { result[channel] = index }
        }
        return result
    }

    /// Channel `c` of `channels` split into `groups` contiguous bands belongs to band `c / (channels / groups)`.
    static func bandOrigins(channels: Int, groups: Int) -> [Int] {
        let perGroup = max(1, channels / max(1, groups))
        return (0..<channels).map { min(groups - 1, $0 / perGroup) }
    }
}

/// One band of a layer's channels: its name (`g2`, `shortcut`, `branch`, empty for a dense
/// tensor) and the channels it covers.
struct ChannelBand: Equatable, Sendable {
    var name: String
    var channels: Range<Int>
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
