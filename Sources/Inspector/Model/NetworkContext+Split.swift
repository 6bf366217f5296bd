import ShuffleEngine

extension NetworkContext {
    /// The channel splits that read the node at `index` (ShuffleNet v2's pass-through and branch
    /// halves), each with how many of its channels carry each colour: what a g = 2 shuffle does
    /// for the next split, as the group-mixing matrix shows it for v1's next grouped convolution.
    func splitMixing(after index: Int, withShuffle: Bool) -> [(name: String, counts: [Int])] {
        let readers = graph.nodes.indices.filter { reader in
            guard case .channelSlice = graph.nodes[reader].op else { return false }
            return graph.nodes[reader].inputs.first == .node(index)
        }
        let source = withShuffle ? origins : originsWithoutShuffle
        guard let input = source[safe: index] else { return [] }
        let colours = max(1, (input.max() ?? 0) + 1)
        return readers.compactMap { reader in
            guard case .channelSlice(let start, let count) = graph.nodes[reader].op else { return nil }
            var counts = [Int](repeating: 0, count: colours)
            for channel in start..<min(input.count, start + count) { counts[input[channel]] += 1 }
            return (graph.nodes[reader].place.label, counts)
        }
    }
}
