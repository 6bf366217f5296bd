import ShuffleEngine

/// The input pixels that can influence one output cell: the bounding box, clamped to the
/// image, of every path back to the graph's input.
///
/// Walking back through a window op (convolution, pooling) with kernel k, stride s, padding p,
/// output rows a…b come from input rows `a·s − p … b·s − p + k − 1`; channel-wise and
/// element-wise ops (shuffle, add, concat, activations) keep the region; global pooling and
/// fully connected layers see the whole input. Several inputs give the union of their regions.
struct ReceptiveField: Equatable, Sendable {
    /// Inclusive pixel ranges in the graph input.
    var rows: ClosedRange<Int>
    var columns: ClosedRange<Int>

    /// The region of graph input behind cell (`x`, `y`) of node `index`'s output; nil when the
    /// node does not exist.
    static func of(node index: Int, x: Int, y: Int, in graph: Graph) -> ReceptiveField? {
        guard graph.nodes.indices.contains(index) else { return nil }
        var result: ReceptiveField? = nil
        var pending: [(index: Int, rows: ClosedRange<Int>, columns: ClosedRange<Int>)] = [(index, y...y, x...x)]
        var seen: [Int: (ClosedRange<Int>, ClosedRange<Int>)] = [:]
        while let (current, rows, columns) = pending.popLast() {
            // A node already walked back from a region containing this one adds nothing.
            if let known = seen[current], covers(known.0, rows) && covers(known.1, columns) { continue }
            seen[current] = seen[current].map { (union($0.0, rows), union($0.1, columns)) } ?? (rows, columns)
            let node = graph.nodes[current]
            let (inputRows, inputColumns) = back(op: node.op, rows: rows, columns: columns, inputs: node.inputs, graph: graph)
            for input in node.inputs {
                switch input {
                case .graphInput:
                    let region = ReceptiveField(
                        rows: clamp(inputRows, to: graph.inputShape.h), columns: clamp(inputColumns, to: graph.inputShape.w))
                    result = result.map { ReceptiveField(rows: union($0.rows, region.rows), columns: union($0.columns, region.columns)) } ?? region
                case .node(let i) where graph.nodes.indices.contains(i):
                    let shape = graph.nodes[i].outputShape
                    pending.append((i, clamp(inputRows, to: shape.h), clamp(inputColumns, to: shape.w)))
                default:
                    continue
                }
            }
        }
        return result
    }

    /// Input rows and columns behind `rows`, `columns` of an op's output.
    private static func back(op: Op, rows: ClosedRange<Int>, columns: ClosedRange<Int>, inputs: [NodeInput], graph: Graph)
        -> (ClosedRange<Int>, ClosedRange<Int>)
    {
        func window(_ k: Int, _ s: Int, _ p: Int) -> (ClosedRange<Int>, ClosedRange<Int>) {
            ((rows.lowerBound * s - p)...(rows.upperBound * s - p + k - 1),
             (columns.lowerBound * s - p)...(columns.upperBound * s - p + k - 1))
        }
        switch op {
        case .convolution(let conv): return window(conv.kernelSize, conv.stride, conv.padding)
        case .maxPool(let pool), .averagePool(let pool): return window(pool.kernelSize, pool.stride, pool.padding)
        case .globalAveragePool, .linear:
            // Everything: the first input's whole plane.
            let shape: Shape
            switch inputs.first {
            case .node(let i) where graph.nodes.indices.contains(i): shape = graph.nodes[i].outputShape
            default: shape = graph.inputShape
            }
            return (0...max(0, shape.h - 1), 0...max(0, shape.w - 1))
        default:
            return (rows, columns)
        }
    }

    private static func clamp(_ range: ClosedRange<Int>, to size: Int) -> ClosedRange<Int> {
        let upper = max(0, size - 1)
        return max(0, min(upper, range.lowerBound))...max(0, min(upper, range.upperBound))
    }

    private static func covers(_ outer: ClosedRange<Int>, _ inner: ClosedRange<Int>) -> Bool {
        outer.lowerBound <= inner.lowerBound && inner.upperBound <= outer.upperBound
    }

    private static func union(_ a: ClosedRange<Int>, _ b: ClosedRange<Int>) -> ClosedRange<Int> {
        min(a.lowerBound, b.lowerBound)...max(a.upperBound, b.upperBound)
    }
}
