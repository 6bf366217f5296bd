import ShuffleEngine

/// Appends nodes with their counts; shared by the architectures' builders.
struct GraphBuilder {
    let batchSize: Int
    private(set) var nodes: [Node] = []

    init(batchSize: Int) { self.batchSize = batchSize }

    func shape(_ channels: Int, _ size: PlaneSize) -> Shape {
        Shape(n: batchSize, c: channels, h: size.height, w: size.width)
    }

    /// Appends a node and returns where later nodes read it.
    /// `parameters` overrides the count derived from the op (a classifier with a bias).
    mutating func add(
        _ name: String, _ op: Op, _ inputs: [NodeInput], channels: Int, size: PlaneSize, source: String? = nil,
        parameters: Int? = nil, place: NodePlace
    ) -> NodeInput {
        let output = shape(channels, size)
        nodes.append(
            Node(
                name: name, op: op, inputs: inputs, outputShape: output, source: source,
                parameterCount: parameters ?? Self.parameterCount(op), multiplyAdds: Self.multiplyAdds(op, output: output),
                place: place))
        return .node(nodes.count - 1)
    }

    func graph(inputSize: PlaneSize) -> Graph { Graph(inputShape: shape(3, inputSize), nodes: nodes) }

    /// PyTorch's count: conv weights + BN γ and β (folded into the bias here); FC weights only
    /// (a classifier with a bias passes its own count).
    static func parameterCount(_ op: Op) -> Int {
        switch op {
        case .convolution(let conv): return conv.weight.count + 2 * conv.outputChannels
        case .linear(let linear): return linear.weight.count
        default: return 0
        }
    }

    /// Multiply-adds for the whole batch: `out · (in / groups) · k² · H_out · W_out` per image for
    /// a conv, `in · out` for the FC, 0 for everything else.
    static func multiplyAdds(_ op: Op, output: Shape) -> Int {
        switch op {
        case .convolution(let conv):
            let perOutput = (conv.inputChannels / conv.groups) * conv.kernelSize * conv.kernelSize
            return output.count * perOutput
        case .linear(let linear):
            return output.n * linear.inputFeatures * linear.outputFeatures
        default:
            return 0
        }
    }
}
