/// The kind of work a step does, for per-op-type totals (the ShuffleNet v2 point: multiply-adds
/// alone do not predict time; shuffles, pooling and element-wise ops cost real time too).
public enum OpCategory: String, Sendable, CaseIterable, Hashable {
    /// 1×1 convolutions, grouped or not (the pointwise layers of a unit).
    case pointwiseConvolution
    /// Depthwise convolutions (groups == channels), 3×3 in ShuffleNet.
    case depthwiseConvolution
    /// Every other convolution (the 3×3 stem).
    case stemConvolution
    case shuffle
    /// Max, average and global average pooling.
    case pooling
    /// Element-wise add, channel concatenation and channel split (a unit's split and combine steps).
    case addConcat
    /// The fully connected classifier.
    case fullyConnected
    case softmax

    public init(_ op: Op) {
        switch op {
        case .convolution(let conv):
            if conv.kind == .depthwise {
                self = .depthwiseConvolution
            } else if conv.kernelSize == 1 {
                self = .pointwiseConvolution
            } else {
                self = .stemConvolution
            }
        case .maxPool, .averagePool, .globalAveragePool: self = .pooling
        case .channelShuffle: self = .shuffle
        case .add, .concat, .channelSlice: self = .addConcat
        case .linear: self = .fullyConnected
        case .softmax: self = .softmax
        }
    }

    /// A short human title for tables.
    public var title: String {
        switch self {
        case .pointwiseConvolution: return "1×1 conv"
        case .depthwiseConvolution: return "3×3 depthwise"
        case .stemConvolution: return "stem conv"
        case .shuffle: return "shuffle"
        case .pooling: return "pooling"
        case .addConcat: return "add/concat"
        case .fullyConnected: return "FC"
        case .softmax: return "softmax"
        }
    }
}

/// Timing statistics of one step over repeated passes, with its arithmetic and memory traffic.
public struct StepProfile: Sendable, Equatable {
    public var index: Int
    public var name: String
    public var kind: String
    public var category: OpCategory
    /// Seconds, over the measured passes.
    public var minimum: Double
    public var median: Double
    public var maximum: Double
    /// This step's median as a fraction of the sum of all steps' medians (0...1).
    public var share: Double
    public var multiplyAdds: Int
    /// Multiply-adds per second at the median time, in units of 10⁹ (0 when no arithmetic or no time).
    public var gigaMultiplyAddsPerSecond: Double
    /// Bytes of float32 read: every input tensor plus the weights and biases.
    public var bytesRead: Int
    /// Bytes of float32 written: the output tensor.
    public var bytesWritten: Int
    /// The ShuffleNet v2 paper's memory access cost, elements (see `ProfileReport.memoryAccessCost`).
    public var memoryAccess: Int = 0
}

/// Totals of one `OpCategory` over the whole pass.
public struct CategoryProfile: Sendable, Equatable {
    public var category: OpCategory
    public var stepCount: Int
    /// Sum of the steps' median seconds.
    public var seconds: Double
    /// `seconds` as a fraction of the sum of all medians.
    public var timeShare: Double
    public var multiplyAdds: Int
    /// `multiplyAdds` as a fraction of the pass's multiply-adds (0 when the pass has none).
    public var multiplyAddShare: Double
    /// The category's memory access cost as a fraction of the pass's (the v2 paper's G1–G4:
    /// time follows memory traffic as much as multiply-adds).
    public var memoryAccessShare: Double = 0
}

/// Statistics of repeated timed passes over a graph. Pure arithmetic on the samples, so it can be
/// built from measured durations (`Profiler`) or from known numbers (tests).
public struct ProfileReport: Sendable, Equatable {
    /// Number of measured passes behind the statistics.
    public var passes: Int
    /// One entry per graph node, in graph order.
    public var steps: [StepProfile]
    /// One entry per category present in the graph, in `OpCategory.allCases` order.
    public var categories: [CategoryProfile]
    /// Seconds of one pass (the sum of its steps' durations): median, minimum and maximum over passes.
    public var passMedian: Double
    public var passMinimum: Double
    public var passMaximum: Double
    public var totalMultiplyAdds: Int
    /// Median wall time of a whole pass that recorded step times (0 when not measured).
    public var endToEndMedian: Double
    /// Median wall time of a whole pass without step timing: the pass as it runs in production.
    public var untimedMedian: Double

    /// The sum of every step's median.
    public var stepMedianSum: Double { steps.reduce(0) { $0 + $1.median } }
    /// Wall time not inside any step: `endToEndMedian` minus the sum of the step medians
    /// (dispatch between steps, clock reads). 0 when wall times were not measured.
    public var unattributedSeconds: Double { endToEndMedian > 0 ? endToEndMedian - stepMedianSum : 0 }
    /// What recording step times costs: timed minus untimed wall time (may be slightly negative
    /// from noise). 0 when not measured.
    public var timingOverheadSeconds: Double {
        endToEndMedian > 0 && untimedMedian > 0 ? endToEndMedian - untimedMedian : 0
    }

    /// Builds the statistics from `samples[pass][step]` seconds; every pass must have one duration
    /// per node of `graph` (shorter passes are ignored). `timedPassSeconds` and
    /// `untimedPassSeconds` are whole-pass wall times with and without step timing, if measured.
    public init(graph: Graph, samples: [[Double]], timedPassSeconds: [Double] = [], untimedPassSeconds: [Double] = []) {
        endToEndMedian = ProfileReport.median(timedPassSeconds)
        untimedMedian = ProfileReport.median(untimedPassSeconds)
        let nodeCount = graph.nodes.count
        let complete = samples.filter { $0.count == nodeCount }
        passes = complete.count
        let medians = (0..<nodeCount).map { step in ProfileReport.median(complete.map { $0[step] }) }
        let totalMedian = medians.reduce(0, +)
        var steps: [StepProfile] = []
        steps.reserveCapacity(nodeCount)
        for (index, node) in graph.nodes.enumerated() {
            let column = complete.map { $0[index] }
            let median = medians[index]
            let traffic = ProfileReport.traffic(of: node, in: graph)
            steps.append(
                StepProfile(
                    index: index, name: node.name, kind: node.op.kind, category: OpCategory(node.op),
                    minimum: column.min() ?? 0, median: median, maximum: column.max() ?? 0,
                    share: totalMedian > 0 ? median / totalMedian : 0,
                    multiplyAdds: node.multiplyAdds,
                    gigaMultiplyAddsPerSecond: median > 0 ? Double(node.multiplyAdds) / median / 1e9 : 0,
                    bytesRead: traffic.read, bytesWritten: traffic.written,
                    memoryAccess: ProfileReport.memoryAccessCost(of: node, in: graph)))
        }
        self.steps = steps
        totalMultiplyAdds = graph.totalMultiplyAdds
        let totalMACs = totalMultiplyAdds
        let totalMemory = steps.reduce(0) { $0 + $1.memoryAccess }
        categories = OpCategory.allCases.compactMap { category in
            let members = steps.filter { $0.category == category }
            guard !members.isEmpty else { return nil }
            let seconds = members.reduce(0) { $0 + $1.median }
            let macs = members.reduce(0) { $0 + $1.multiplyAdds }
            let memory = members.reduce(0) { $0 + $1.memoryAccess }
            return CategoryProfile(
                category: category, stepCount: members.count, seconds: seconds,
                timeShare: totalMedian > 0 ? seconds / totalMedian : 0, multiplyAdds: macs,
                multiplyAddShare: totalMACs > 0 ? Double(macs) / Double(totalMACs) : 0,
                memoryAccessShare: totalMemory > 0 ? Double(memory) / Double(totalMemory) : 0)
        }
        let passTotals = complete.map { $0.reduce(0, +) }
        passMedian = ProfileReport.median(passTotals)
        passMinimum = passTotals.min() ?? 0
        passMaximum = passTotals.max() ?? 0
    }

    /// The middle value; the mean of the two middle values for an even count; 0 for none.
    public static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Float32 bytes a node reads (its inputs, weights and biases) and writes (its output).
    /// The ShuffleNet v2 paper's memory access cost of a step, in elements: every input and
    /// output element once plus the weights (not the biases). For a 1×1 convolution on an
    /// `h × w` map that is `h·w·(c1 + c2) + c1·c2 / g`, the paper's `h·w·(c1 + c2) + c1·c2` at g = 1.
    public static func memoryAccessCost(of node: Node, in graph: Graph) -> Int {
        let inputs = node.inputs.reduce(0) { total, input in
            switch input {
            case .graphInput: return total + graph.inputShape.count
            case .node(let i): return total + (graph.nodes.indices.contains(i) ? graph.nodes[i].outputShape.count : 0)
            }
        }
        let weights: Int
        switch node.op {
        case .convolution(let conv): weights = conv.weight.count
        case .linear(let linear): weights = linear.weight.count
        default: weights = 0
        }
        return inputs + node.outputShape.count + weights
    }

    public static func traffic(of node: Node, in graph: Graph) -> (read: Int, written: Int) {
        let inputElements = node.inputs.reduce(0) { total, input in
            switch input {
            case .graphInput: return total + graph.inputShape.count
            case .node(let i): return total + (graph.nodes.indices.contains(i) ? graph.nodes[i].outputShape.count : 0)
            }
        }
        let weightElements: Int
        switch node.op {
        case .convolution(let conv): weightElements = conv.weight.count + conv.bias.count
        case .linear(let linear): weightElements = linear.weight.count + linear.bias.count
        default: weightElements = 0
        }
        let bytesPerElement = MemoryLayout<Float>.size
        return ((inputElements + weightElements) * bytesPerElement, node.outputShape.count * bytesPerElement)
    }
}
