import ShuffleEngine

/// Add and Concat (where a unit's paths join), the classifier (Gemm, or MatMul and a bias Add)
/// and Softmax.
extension ONNXLowering {
    /// Add of two tensors; a constant added to a classifier's output becomes its bias.
    mutating func lowerAdd(_ node: ONNXNode) throws(ONNXError) {
        let a = try value(node, 0), b = try value(node, 1)
        switch (a, b) {
        case (.activation(let x), .activation(let y)):
            let (left, leftShape) = try tensor(x, for: node), (right, rightShape) = try tensor(y, for: node)
            guard x.dims == y.dims else { throw node.unsupported("adds \(x.dims) and \(y.dims) (only equal shapes are read)") }
            name(try emit(.add(relu: false), [left, right], [leftShape, rightShape], origin: node.name), as: node.outputs[0])
        case (.activation, .constant(let bias)), (.constant(let bias), .activation):
            let position = a.isConstant ? 1 : 0
            let view = try activation(node, position)
            guard let index = foldable(node.inputs[position]), case .linear(var linear) = nodes[index].op,
                bias.count == linear.outputFeatures || bias.count == 1
            else {
                throw node.unsupported("adds a constant to something other than a classifier's output (a bias)")
            }
            let values = bias.floats
            for o in 0..<linear.outputFeatures { linear.bias[o] += values[bias.count == 1 ? 0 : o] }
            fold(index, op: .linear(linear), node: node, output: node.outputs[0], parameters: nodes[index].parameterCount + bias.count)
            set(node.outputs[0], .activation(view))
        default:
            throw node.unsupported("adds two constants that are not shape arithmetic")
        }
    }

    mutating func lowerConcat(_ node: ONNXNode) throws(ONNXError) {
        let views = try (0..<node.inputs.count).map { position throws(ONNXError) in try activation(node, position) }
        guard let first = views.first, first.dims.count == 4 else { throw node.unsupported("only NCHW tensors are concatenated") }
        guard try axis(node, try node.int("axis", default: 1), rank: 4) == 1 else {
            throw node.unsupported("concatenates along an axis other than channels")
        }
        var inputs: [NodeInput] = [], shapes: [Shape] = []
        for view in views {
            let (input, shape) = try tensor(view, for: node)
            inputs.append(input)
            shapes.append(shape)
        }
        name(try emit(.concat(relu: false), inputs, shapes, origin: node.name), as: node.outputs[0])
    }

    /// The `[N, F]` features a classifier reads: a view of a whole engine tensor in its order.
    private func features(_ node: ONNXNode) throws(ONNXError) -> (input: NodeInput, shape: Shape, count: Int) {
        let view = try activation(node, 0)
        guard view.dims.count == 2, view.isInOrder, view.dims[0] == view.sourceShape.n else {
            throw node.unsupported("its input \(view.dims) is not a flattened [batch, features] tensor")
        }
        return (view.source, view.sourceShape, view.dims[1])
    }

    /// `Y = α·A·Bᵀ + β·C` (transB = 1) or `α·A·B + β·C` (transB = 0), as a linear layer.
    mutating func lowerGemm(_ node: ONNXNode) throws(ONNXError) {
        guard try node.int("transA", default: 0) == 0 else { throw node.unsupported("transA 1") }
        let (input, shape, features) = try self.features(node)
        let weight = try constant(node, 1, "weight"), transposed = try node.int("transB", default: 0) != 0
        let alpha = try node.float("alpha", default: 1), beta = try node.float("beta", default: 1)
        guard weight.dims.count == 2, weight.dims[transposed ? 1 : 0] == features else {
            throw node.invalid("weight \(weight.dims) does not fit \(features) features")
        }
        let outputs = weight.dims[transposed ? 0 : 1]
        var matrix = transposed ? weight.floats : Self.transpose(weight.floats, rows: features, columns: outputs)
        if alpha != 1 { matrix = matrix.map { $0 * alpha } }
        var bias = [Float](repeating: 0, count: outputs), biasCount = 0
        if let given = try optionalConstant(node, 2, "bias") {
            guard given.count == outputs || given.count == 1 else { throw node.invalid("bias of \(given.count) values for \(outputs) outputs") }
            let values = given.floats
            bias = (0..<outputs).map { beta * values[given.count == 1 ? 0 : $0] }
            biasCount = given.count
        }
        let linear = Linear(inputFeatures: features, outputFeatures: outputs, weight: matrix, bias: bias)
        let made = try emit(.linear(linear), [input], [shape], origin: node.name, parameters: matrix.count + biasCount)
        name(made.reshaped([shape.n, outputs]), as: node.outputs[0])
    }

    /// `A·B` with a constant `B` of `[features, outputs]`: a linear layer without bias.
    mutating func lowerMatMul(_ node: ONNXNode) throws(ONNXError) {
        let (input, shape, features) = try self.features(node)
        let weight = try constant(node, 1, "weight")
        guard weight.dims.count == 2, weight.dims[0] == features else {
            throw node.invalid("weight \(weight.dims) does not fit \(features) features")
        }
        let outputs = weight.dims[1]
        let linear = Linear(
            inputFeatures: features, outputFeatures: outputs,
            weight: Self.transpose(weight.floats, rows: features, columns: outputs),
            bias: [Float](repeating: 0, count: outputs))
        let made = try emit(.linear(linear), [input], [shape], origin: node.name, parameters: weight.count)
        name(made.reshaped([shape.n, outputs]), as: node.outputs[0])
    }

    /// Softmax over the classes of `[N, classes]` (or `[N, classes, 1, 1]` along axis 1).
    mutating func lowerSoftmax(_ node: ONNXNode) throws(ONNXError) {
        let view = try activation(node, 0)
        let axis = try self.axis(node, try node.int("axis", default: opset < 13 ? 1 : -1), rank: view.dims.count)
        guard view.isInOrder, view.sourceShape.h == 1, view.sourceShape.w == 1, axis == 1,
            view.dims.count == 2 || view.dims.count == 4
        else {
            throw node.unsupported("only a softmax over the classes of a [batch, classes] tensor is read")
        }
        let made = try emit(.softmax, [view.source], [view.sourceShape], origin: node.name)
        name(made.reshaped(view.dims), as: node.outputs[0])
    }

    /// `[rows, columns]` row-major to `[columns, rows]`.
    static func transpose(_ values: [Float], rows: Int, columns: Int) -> [Float] {
        var result = [Float](repeating: 0, count: values.count)
        for r in 0..<rows {
            for c in 0..<columns { result[c * rows + r] = values[r * columns + c] }
        }
        return result
    }
}

extension ONNXValue {
    var isConstant: Bool {
        if case .constant = self { return true }
        return false
    }
}
