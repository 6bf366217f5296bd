/// The steps a planned pass runs: the graph's nodes in order, with element-wise nodes folded
/// into the kernel before or after them where that saves a trip through memory:
/// - a channel shuffle read only by a depthwise convolution becomes that convolution's
///   permuted read of its input (no copy);
/// - a channel shuffle read only by channel slices (ShuffleNet v2's split after a g = 2 shuffle)
///   becomes those slices' permuted reads: each half is gathered once instead of the whole
///   tensor being shuffled and then copied half by half;
/// - an `add` of a convolution's output (read by nothing else, no ReLU of its own) and a tensor
///   computed earlier becomes that convolution's epilogue: `relu?(conv + residual)`;
/// - a `concat` whose inputs are all convolutions, pools or channel slices read by nothing else
///   becomes those kernels writing straight into their channel range of its output (with its ReLU);
/// - a pooling of a general convolution's output (read by nothing else) becomes that
///   convolution pooling its rows as it computes them (the stem's convolution and max pool).
struct StepPlan {
    struct Step {
        /// The node whose op runs.
        var node: Int
        /// Nodes this step also computes (their own steps are gone).
        var absorbed: [Int] = []
        /// What the kernel reads (a folded shuffle's input in place of the shuffle).
        var inputs: [NodeInput]
        /// The node whose output this step writes (an absorbed `add`, else `node`).
        var writes: Int
        var residual: NodeInput?
        var relu = false
        var inputShuffle: (groups: Int, convention: ShuffleConvention)?
        var pool: (window: PoolWindow, average: Bool)?

        var fusion: Fusion {
            Fusion(residual: nil, relu: relu, inputShuffle: inputShuffle, pool: pool)
        }
    }

    /// Where a node's output lives: channel `channelOffset` onward of node `owner`'s buffer.
    struct Placement {
        var owner: Int
        var channelOffset: Int
    }

    var steps: [Step]
    /// For every node whose output is stored somewhere (folded shuffles have none).
    var placements: [Placement?]

    init(graph: Graph, fuses: Bool) {
        let nodes = graph.nodes
        var consumers = [Int](repeating: 0, count: nodes.count)
        for node in nodes {
            for case .node(let source) in node.inputs { consumers[source] += 1 }
        }
        let last = nodes.count - 1
        var placements: [Placement?] = nodes.indices.map { Placement(owner: $0, channelOffset: 0) }
        var steps: [Int: Step] = [:]
        for (index, node) in nodes.enumerated() {
            steps[index] = Step(node: index, inputs: node.inputs, writes: index)
        }
        if fuses {
            var readers = [[Int]](repeating: [], count: nodes.count)
            for (index, node) in nodes.enumerated() {
                for case .node(let source) in node.inputs { readers[source].append(index) }
            }
            for (index, node) in nodes.enumerated() {
                switch node.op {
                case .channelShuffle(let groups, let convention):
                    let slices = readers[index]
                    guard !slices.isEmpty, index != last, slices.allSatisfy({ reader in
                        if case .channelSlice = nodes[reader].op { return nodes[reader].inputs.count == 1 }
                        return false
                    }) else { continue }
                    steps[index] = nil
                    placements[index] = nil
                    for slice in slices {
                        steps[slice]?.inputs = node.inputs
                        steps[slice]?.inputShuffle = (groups, convention)
                        steps[slice]?.absorbed.append(index)
                    }
                case .convolution(let conv) where Kernels.convolutionPath(conv) == .depthwise:
                    guard node.inputs.count == 1, case .node(let source) = node.inputs[0], consumers[source] == 1,
                        case .channelShuffle(let groups, let convention) = nodes[source].op
                    else { continue }
                    steps[source] = nil
                    placements[source] = nil
                    steps[index]?.inputs = nodes[source].inputs
                    steps[index]?.inputShuffle = (groups, convention)
                    steps[index]?.absorbed.append(source)
                case .add(let relu):
                    guard let (producer, other) = Self.residualProducer(of: index, in: graph, consumers: consumers),
                        producer != last
                    else { continue }
                    steps[index] = nil
                    steps[producer]?.writes = index
                    steps[producer]?.residual = other
                    steps[producer]?.relu = relu
                    steps[producer]?.absorbed.append(index)
                    placements[producer] = nil
                case .maxPool(let window), .averagePool(let window):
                    let average = if case .averagePool = node.op { true } else { false }
                    guard node.inputs.count == 1, case .node(let source) = node.inputs[0], consumers[source] == 1,
                        case .convolution(let conv) = nodes[source].op, Kernels.convolutionPath(conv) == .general,
                        let producer = steps[source], producer.absorbed.isEmpty
                    else { continue }
                    steps[index] = nil
                    steps[source]?.writes = index
                    steps[source]?.pool = (window, average)
                    steps[source]?.absorbed.append(index)
                    placements[source] = nil
                case .concat(let relu):
                    // A pool folded into its convolution has no step of its own to write a half.
                    guard Self.canWriteInPlace(concat: index, relu: relu, in: graph, consumers: consumers),
                        node.inputs.allSatisfy({ if case .node(let source) = $0 { steps[source] != nil } else { false } })
                    else { continue }
                    steps[index] = nil
                    var offset = 0
                    for case .node(let source) in node.inputs {
                        placements[source] = Placement(owner: index, channelOffset: offset)
                        steps[source]?.relu = relu
                        steps[source]?.absorbed.append(index)
                        offset += nodes[source].outputShape.c
                    }
                default:
                    continue
                }
            }
        }
        self.steps = nodes.indices.compactMap { steps[$0] }
        self.placements = placements
    }

    /// The convolution an `add` can fold into, and the add's other input.
    private static func residualProducer(of add: Int, in graph: Graph, consumers: [Int]) -> (Int, NodeInput)? {
        let inputs = graph.nodes[add].inputs
        guard inputs.count == 2 else { return nil }
        for (mine, other) in [(1, 0), (0, 1)] {
            guard case .node(let producer) = inputs[mine], consumers[producer] == 1,
                case .convolution(let conv) = graph.nodes[producer].op, Kernels.convolutionPath(conv) != .depthwise
            else { continue }
            // The other input must exist when the producer runs.
            switch inputs[other] {
            case .graphInput: return (producer, inputs[other])
            case .node(let source) where source < producer: return (producer, inputs[other])
            case .node: continue
            }
        }
        return nil
    }

    /// Whether every input of a `concat` is a convolution, pool or channel slice read only by it,
    /// so each can write straight into the concat's output.
    /// A slice has no ReLU of its own, so it joins only a concat without one.
    private static func canWriteInPlace(concat: Int, relu: Bool, in graph: Graph, consumers: [Int]) -> Bool {
        var seen = Set<Int>()
        for input in graph.nodes[concat].inputs {
            guard case .node(let source) = input, consumers[source] == 1, seen.insert(source).inserted else { return false }
            switch graph.nodes[source].op {
            case .convolution, .maxPool, .averagePool: continue
            case .channelSlice where !relu: continue
            default: return false
            }
        }
        return true
    }
}
