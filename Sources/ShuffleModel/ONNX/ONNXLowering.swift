import ShuffleEngine

/// A value of the ONNX graph while it is lowered: a constant (weights, shapes worked out from
/// the input size) or a view of an engine tensor.
enum ONNXValue: Sendable {
    case constant(ONNXTensor)
    case activation(ONNXActivation)
}

/// Turns ONNX nodes, in dependency order, into engine nodes.
///
/// Shape arithmetic (Shape, Gather, Unsqueeze, Concat, Cast, …) is computed on constants for the
/// given input size; data movement (Reshape, Transpose, Slice, …) is followed on index maps; ops
/// that compute become engine nodes, and a BatchNormalization or Relu right after the node that
/// makes its only input is folded into it. Engine node names here are provisional (the ONNX
/// node's name); `ONNXStructure` renames them by section, unit and role.
struct ONNXLowering {
    let file: String
    let opset: Int
    var values: [String: ONNXValue] = [:]
    /// How many node inputs and graph outputs read each value.
    let uses: [String: Int]
    private(set) var nodes: [Node] = []
    /// The ONNX nodes each engine node was made from.
    private(set) var origins: [[String]] = []
    /// The value each engine node's output was last named, while nothing else reads it.
    private var produced: [String?] = []
    private var shuffles: [String: NodeInput] = [:]
    private var slices: [String: NodeInput] = [:]

    /// The largest tensor the importer builds: 2^28 elements (1 GiB of floats).
    static let activationLimit = 1 << 28

    init(file: String, opset: Int, uses: [String: Int]) {
        self.file = file
        self.opset = opset
        self.uses = uses
    }

    // MARK: Reading inputs

    /// The value of input `position` of `node`, nil when the optional input is omitted.
    func optionalValue(_ node: ONNXNode, _ position: Int) throws(ONNXError) -> ONNXValue? {
        guard position < node.inputs.count, !node.inputs[position].isEmpty else { return nil }
        guard let value = values[node.inputs[position]] else {
            throw .invalidGraph(file: file, reason: "node '\(node.name)' reads '\(node.inputs[position])', which nothing produces")
        }
        return value
    }

    func value(_ node: ONNXNode, _ position: Int) throws(ONNXError) -> ONNXValue {
        guard let value = try optionalValue(node, position) else {
            throw node.invalid("input \(position + 1) is missing")
        }
        return value
    }

    func constant(_ node: ONNXNode, _ position: Int, _ what: String) throws(ONNXError) -> ONNXTensor {
        guard case .constant(let tensor) = try value(node, position) else {
            throw node.unsupported("its \(what) (input \(position + 1)) must be a constant or computable from the input size")
        }
        return tensor
    }

    func optionalConstant(_ node: ONNXNode, _ position: Int, _ what: String) throws(ONNXError) -> ONNXTensor? {
        guard try optionalValue(node, position) != nil else { return nil }
        return try constant(node, position, what)
    }

    func activation(_ node: ONNXNode, _ position: Int) throws(ONNXError) -> ONNXActivation {
        guard case .activation(let view) = try value(node, position) else {
            throw node.unsupported("input \(position + 1) is a constant where the engine needs a tensor computed from the image")
        }
        return view
    }

    mutating func set(_ name: String, _ value: ONNXValue) { values[name] = value }

    /// The engine tensor behind `view`, adding the channel shuffle and slice it stands for.
    mutating func tensor(_ view: ONNXActivation, for node: ONNXNode) throws(ONNXError) -> (input: NodeInput, shape: Shape) {
        guard view.pendingPadding == 0 else {
            throw node.unsupported("it reads a padded tensor; a Pad is read only right before an AveragePool")
        }
        if view.isSource { return (view.source, view.sourceShape) }
        guard let map = ONNXChannelMap.channels(of: view),
            let explanation = ONNXChannelMap.explain(map, sourceChannels: view.sourceShape.c)
        else {
            throw node.unsupported(
                "its input of shape \(view.dims) rearranges a \(view.sourceShape.dims) tensor in a way that is "
                    + "neither a channel shuffle nor a channel split")
        }
        var input = view.source, shape = view.sourceShape
        if let (groups, convention) = explanation.shuffle {
            let key = "\(input)|\(groups)|\(convention)"
            if let cached = shuffles[key] {
                input = cached
            } else {
                let origin = view.via.isEmpty ? node.name : view.via.joined(separator: "+")
                let made = try emit(.channelShuffle(groups: groups, convention: convention), [input], [shape], origin: origin)
                input = made.source
                shuffles[key] = input
            }
            if explanation.slice != nil, case .node(let index) = input {
                nodes[index].place = NodePlace(section: ONNXStructure.splitShuffleMarker, label: "shuffle")
            }
        }
        if let range = explanation.slice {
            let key = "\(input)|\(range)"
            if let cached = slices[key] {
                input = cached
            } else {
                let origin = view.via.isEmpty ? node.name : view.via.joined(separator: "+")
                let made = try emit(.channelSlice(start: range.lowerBound, count: range.count), [input], [shape], origin: origin)
                input = made.source
                slices[key] = input
            }
            shape.c = range.count
        }
        return (input, shape)
    }

    // MARK: Making engine nodes

    /// Appends an engine node and returns its output as a view.
    mutating func emit(
        _ op: Op, _ inputs: [NodeInput], _ shapes: [Shape], origin: String, parameters: Int? = nil
    ) throws(ONNXError) -> ONNXActivation {
        let output: Shape
        do {
            output = try op.outputShape(for: shapes)
        } catch {
            throw .invalidNode(file: file, op: op.kind, node: origin, reason: error.message)
        }
        guard ONNXTensor.elementCount(output.dims, limit: Self.activationLimit) != nil else {
            throw .invalidNode(file: file, op: op.kind, node: origin, reason: "its output \(output) is too large to compute")
        }
        nodes.append(
            Node(
                name: origin, op: op, inputs: inputs, outputShape: output, source: origin,
                parameterCount: parameters ?? GraphBuilder.parameterCount(op),
                multiplyAdds: GraphBuilder.multiplyAdds(op, output: output)))
        origins.append([origin])
        produced.append(nil)
        return ONNXActivation(source: .node(nodes.count - 1), shape: output)
    }

    /// Records that `value` is the output of the last engine node and names it.
    mutating func name(_ view: ONNXActivation, as value: String) {
        if case .node(let index) = view.source, view.isInOrder { produced[index] = value }
        values[value] = .activation(view)
    }

    /// The engine node whose output is exactly `value`, when only the node `reader` reads it:
    /// the node a BatchNormalization, Relu or bias Add can be folded into.
    func foldable(_ value: String) -> Int? {
        guard uses[value] == 1, case .activation(let view)? = values[value], view.isInOrder,
            case .node(let index) = view.source, produced[index] == value
        else { return nil }
        return index
    }

    /// Replaces engine node `index`'s op after folding `node` into it; its output is now `output`.
    mutating func fold(_ index: Int, op: Op, node: ONNXNode, output: String, parameters: Int? = nil) {
        nodes[index].op = op
        if let parameters { nodes[index].parameterCount = parameters }
        origins[index].append(node.name)
        nodes[index].source = origins[index].joined(separator: "+")
        produced[index] = output
        values[output] = .activation(ONNXActivation(source: .node(index), shape: nodes[index].outputShape))
    }
}
