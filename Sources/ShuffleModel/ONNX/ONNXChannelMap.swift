import ShuffleEngine

/// Reads a channel shuffle and/or a channel slice off a view of an engine tensor.
///
/// A view `[N, C', H, W]` of a source `[N, C, H, W]` is a channel selection when every element
/// `(n, c', y, x)` is the source's `(n, p(c'), y, x)` for one map `p` of `C'` source channels.
/// Then `p` is explained, smallest group count first, as
/// - a contiguous run `start ..< start + C'`: a slice (nothing at all when it is every channel);
/// - a run of a `g`-group shuffle's permutation `P` (`P[start ..< start + C'] == p`), in the
///   paper's convention (view `(g, n)`, transpose: output `j·g + i` is input `i·n + j`) or the
///   authors' (view `(n, g)`, transpose: output `i·n + j` is input `j·g + i`): a shuffle, then a
///   slice when `C' < C`. The authors' v2 split (even channels, odd channels) is the authors'
///   g = 2 shuffle followed by the two halves, as the native v2 builder draws it.
enum ONNXChannelMap {
    /// How a channel selection is made of engine ops.
    struct Explanation: Equatable {
        /// The shuffle to apply to the whole source first, if any.
        var shuffle: (groups: Int, convention: ShuffleConvention)?
        /// The run of the (shuffled) source's channels to take, nil for all of them.
        var slice: Range<Int>?

        static func == (a: Explanation, b: Explanation) -> Bool {
            a.shuffle?.groups == b.shuffle?.groups && a.shuffle?.convention == b.shuffle?.convention && a.slice == b.slice
        }
    }

    /// The source channel of each of the view's channels, or nil when the view is not a
    /// per-image, per-pixel selection of whole channels.
    static func channels(of view: ONNXActivation) -> [Int]? {
        let source = view.sourceShape
        guard view.dims.count == 4 else { return nil }
        let (n, c, h, w) = (view.dims[0], view.dims[1], view.dims[2], view.dims[3])
        guard n == source.n, h == source.h, w == source.w, c >= 1 else { return nil }
        guard let index = view.index else { return view.dims == source.dims ? Array(0..<c) : nil }
        let plane = h * w
        var map: [Int] = []
        map.reserveCapacity(c)
        for channel in 0..<c {
            let first = Int(index[channel * plane])
            guard first % plane == 0, first / plane < source.c else { return nil }
            map.append(first / plane)
        }
        for image in 0..<n {
            for channel in 0..<c {
                let sourceBase = (image * source.c + map[channel]) * plane
                let viewBase = (image * c + channel) * plane
                for offset in 0..<plane where Int(index[viewBase + offset]) != sourceBase + offset { return nil }
            }
        }
        return map
    }

    /// How `map` (source channels, from `channels(of:)`) is made of a shuffle and a slice of a
    /// `sourceChannels`-channel tensor, or nil when it is neither.
    static func explain(_ map: [Int], sourceChannels: Int) -> Explanation? {
        let count = map.count
        guard count >= 1, count <= sourceChannels else { return nil }
        if map.enumerated().allSatisfy({ $0.element == map[0] + $0.offset }) {
            return Explanation(shuffle: nil, slice: count == sourceChannels ? nil : map[0]..<(map[0] + count))
        }
        for groups in 2..<max(2, sourceChannels) where sourceChannels % groups == 0 {
            for convention in [ShuffleConvention.paper, .authors] {
                let permutation = (0..<sourceChannels).map {
                    Reference.shuffleSource(of: $0, channels: sourceChannels, groups: groups, convention: convention)
                }
                for start in 0...(sourceChannels - count) where permutation[start] == map[0] {
                    if permutation[start..<(start + count)].elementsEqual(map) {
                        let slice = count == sourceChannels ? nil : start..<(start + count)
                        return Explanation(shuffle: (groups, convention), slice: slice)
                    }
                }
            }
        }
        return nil
    }

    /// A `g`-group shuffle of `C = g·n` channels in the paper's convention is the same
    /// permutation as an `n`-group shuffle in the authors' (and the other way round), so the
    /// permutation alone does not tell `g`. The grouped 1×1 convolutions do: when the network has
    /// them (v1) and a shuffle's other reading has their group count, that reading is taken.
    static func matchingConvolutionGroups(_ nodes: [Node]) -> [Node] {
        var counts: [Int: Int] = [:]
        for node in nodes {
            if case .convolution(let conv) = node.op, conv.kind == .grouped { counts[conv.groups, default: 0] += 1 }
        }
        guard let groups = counts.max(by: { $0.value < $1.value })?.key else { return sameConventionWhereBothRead(nodes) }
        var result = nodes
        for index in result.indices {
            guard case .channelShuffle(let g, let convention) = result[index].op, g != groups,
                result[index].outputShape.c == g * groups, convention != .disabled
            else { continue }
            result[index].op = .channelShuffle(groups: groups, convention: convention == .paper ? .authors : .paper)
        }
        return sameConventionWhereBothRead(result)
    }

    /// With `C = g²` channels both conventions are the same permutation: such a shuffle takes the
    /// convention the network's other shuffles have.
    static func sameConventionWhereBothRead(_ nodes: [Node]) -> [Node] {
        var votes: [ShuffleConvention: Int] = [:]
        for node in nodes {
            if case .channelShuffle(let g, let convention) = node.op, node.outputShape.c != g * g {
                votes[convention, default: 0] += 1
            }
        }
        guard let majority = votes.max(by: { $0.value < $1.value })?.key else { return nodes }
        var result = nodes
        for index in result.indices {
            if case .channelShuffle(let g, let convention) = result[index].op, result[index].outputShape.c == g * g,
                convention != .disabled
            {
                result[index].op = .channelShuffle(groups: g, convention: majority)
            }
        }
        return result
    }
}
