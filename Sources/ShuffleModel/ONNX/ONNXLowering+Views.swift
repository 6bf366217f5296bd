/// Ops that only move data: followed on the index map of `ONNXActivation`, never run.
extension ONNXLowering {
    static let viewOps: Set<String> = [
        "Reshape", "Flatten", "Transpose", "Gather", "Slice", "Split", "Squeeze", "Unsqueeze", "Identity", "Dropout",
    ]

    /// The most elements a rearranged view may have (its index map takes 4 bytes each).
    static let indexLimit = 1 << 24

    mutating func lowerView(_ node: ONNXNode) throws(ONNXError) {
        let input = try activation(node, 0).through(node.name)
        let moves = ["Transpose", "Gather", "Slice", "Split"].contains(node.op)
        guard !moves || input.count <= Self.indexLimit else {
            throw node.unsupported("rearranges \(input.count) elements, more than the \(Self.indexLimit) followed")
        }
        switch node.op {
        case "Identity", "Dropout":
            set(node.outputs[0], .activation(input))
            if node.outputs.count > 1, !node.outputs[1].isEmpty {
                throw node.unsupported("its mask output is used; only inference-mode Dropout is read")
            }
        case "Reshape":
            let shape = opset < 5 ? (try node.ints("shape") ?? []) : try constant(node, 1, "shape").integers
            set(node.outputs[0], .activation(input.reshaped(try reshapedDims(node, from: input.dims, shape: shape))))
        case "Flatten":
            let axis = Self.clampAxis(try node.int("axis", default: 1), rank: input.dims.count)
            let outer = input.dims[..<axis].reduce(1, *), inner = input.dims[axis...].reduce(1, *)
            set(node.outputs[0], .activation(input.reshaped([outer, inner])))
        case "Squeeze", "Unsqueeze":
            let axes = try self.axes(node, attributeBelow: 13, inputPosition: 1) ?? []
            let dims = try squeezed(node, dims: input.dims, axes: axes, unsqueeze: node.op == "Unsqueeze")
            set(node.outputs[0], .activation(input.reshaped(dims)))
        case "Transpose":
            let rank = input.dims.count
            let permutation = try node.ints("perm") ?? Array((0..<rank).reversed())
            guard permutation.sorted() == Array(0..<rank) else {
                throw node.invalid("perm \(permutation) is not a permutation of \(rank) axes")
            }
            set(node.outputs[0], .activation(input.transposed(permutation)))
        case "Gather":
            let indices = try constant(node, 1, "indices")
            let axis = try self.axis(node, try node.int("axis", default: 0), rank: input.dims.count)
            let checked = try checkedIndices(node, indices.integers, size: input.dims[axis])
            let outputDims = Array(input.dims[..<axis]) + indices.dims + Array(input.dims[(axis + 1)...])
            guard ONNXTensor.elementCount(outputDims, limit: Self.indexLimit) != nil else {
                throw node.unsupported("gathers \(outputDims) elements, more than the \(Self.indexLimit) followed")
            }
            set(node.outputs[0], .activation(input.gathered(axis: axis, indices: checked, indexDims: indices.dims)))
        case "Slice":
            let (starts, counts, steps) = try sliceWindow(node, dims: input.dims)
            set(node.outputs[0], .activation(input.sliced(starts: starts, counts: counts, steps: steps)))
        default:
            try lowerSplit(node, input)
        }
        try closeShuffle(node)
    }

    /// A view back in its source's NCHW shape that permutes whole channels as a shuffle does (the
    /// end of a Reshape → Transpose → Reshape chain) becomes that shuffle step right away, so
    /// that the Slice or Split after it is read as a split of the shuffled tensor.
    private mutating func closeShuffle(_ node: ONNXNode) throws(ONNXError) {
        guard case .activation(let view)? = values[node.outputs[0]], view.index != nil,
            view.dims == view.sourceShape.dims, let map = ONNXChannelMap.channels(of: view),
            let explanation = ONNXChannelMap.explain(map, sourceChannels: view.sourceShape.c),
            explanation.shuffle != nil, explanation.slice == nil
        else { return }
        let (input, shape) = try tensor(view, for: node)
        set(node.outputs[0], .activation(ONNXActivation(source: input, shape: shape)))
    }

    /// Split along `axis` into the `split` sizes (attribute before opset 13, input from it on;
    /// equal parts, one per output, when absent).
    private mutating func lowerSplit(_ node: ONNXNode, _ input: ONNXActivation) throws(ONNXError) {
        let axis = try self.axis(node, try node.int("axis", default: 0), rank: input.dims.count)
        let size = input.dims[axis]
        var sizes = opset < 13 ? try node.ints("split") : try optionalConstant(node, 1, "split")?.integers
        if sizes == nil {
            let parts = node.outputs.count
            guard parts >= 1 else { throw node.invalid("has no outputs") }
            let part = (size + parts - 1) / parts
            sizes = (0..<parts).map { min(part, max(0, size - $0 * part)) }
        }
        guard let sizes, sizes.count == node.outputs.count, sizes.allSatisfy({ $0 >= 0 }), sizes.reduce(0, +) == size else {
            throw node.invalid("split sizes \(sizes ?? []) do not divide an axis of \(size) into \(node.outputs.count) outputs")
        }
        var start = 0
        for (output, count) in zip(node.outputs, sizes) {
            var starts = [Int](repeating: 0, count: input.dims.count), counts = input.dims
            starts[axis] = start
            counts[axis] = count
            let steps = [Int](repeating: 1, count: input.dims.count)
            if !output.isEmpty { set(output, .activation(input.sliced(starts: starts, counts: counts, steps: steps))) }
            start += count
        }
    }
}
