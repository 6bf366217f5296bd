/// Where a node reads a tensor from.
public enum NodeInput: Hashable, Sendable {
    /// The graph's input tensor.
    case graphInput
    /// The output of the node at this index.
    case node(Int)
}

/// One named operation in the graph.
public struct Node: Sendable {
    /// Stable readable name, e.g. `stage3.unit2.shuffle`.
    public var name: String
    public var op: Op
    public var inputs: [NodeInput]
    public var outputShape: Shape
    /// Module path in the authors' checkpoint whose PyTorch output equals this node's output
    /// (`first_conv`, `maxpool`, `features.3`, `classifier`), if any.
    public var source: String?
    /// PyTorch-style parameter count attributed to this node (conv weights + BN γ, β; FC weights).
    public var parameterCount: Int
    /// Multiply-adds of this node for the whole batch (0 for non-arithmetic ops).
    public var multiplyAdds: Int
    /// Section, unit, role and channel bands, as the builder described them.
    public var place: NodePlace

    public init(
        name: String, op: Op, inputs: [NodeInput], outputShape: Shape, source: String? = nil,
        parameterCount: Int = 0, multiplyAdds: Int = 0, place: NodePlace? = nil
    ) {
        self.place = place ?? .unplaced(name)
        self.name = name
        self.op = op
        self.inputs = inputs
        self.outputShape = outputShape
        self.source = source
        self.parameterCount = parameterCount
        self.multiplyAdds = multiplyAdds
    }
}

/// A network: nodes in execution (topological) order; the last node is the output.
public struct Graph: Sendable {
    public var inputShape: Shape
    public var nodes: [Node]

    public init(inputShape: Shape, nodes: [Node]) {
        self.inputShape = inputShape
        self.nodes = nodes
    }

    /// Index of the node with this name.
    public func index(named name: String) -> Int? { nodes.firstIndex { $0.name == name } }

    public var totalParameters: Int { nodes.reduce(0) { $0 + $1.parameterCount } }
    public var totalMultiplyAdds: Int { nodes.reduce(0) { $0 + $1.multiplyAdds } }
}
