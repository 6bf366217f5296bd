import ShuffleEngine

/// Shape arithmetic on constants: what a dynamic-batch export computes from `Shape` to feed its
/// Reshapes, worked out once for the given input size.
extension ONNXLowering {
    /// Ops that may compute constants from constants (and `Shape` from any tensor).
    static let constantOps: Set<String> = [
        "Constant", "Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Cast", "Slice", "Add", "Sub", "Mul", "Div",
        "Reshape", "Identity", "ConstantOfShape", "Transpose",
    ]

    /// Whether `node` is computed on constants: `Constant`, `Shape`, or a constant op whose
    /// every input is a constant.
    func isConstantNode(_ node: ONNXNode) -> Bool {
        guard Self.constantOps.contains(node.op) else { return false }
        if node.op == "Constant" || node.op == "Shape" { return true }
        return node.inputs.filter { !$0.isEmpty }.allSatisfy {
            if case .constant? = values[$0] { return true }
            return false
        }
    }

    /// The constant `node` makes.
    func evaluateConstant(_ node: ONNXNode) throws(ONNXError) -> ONNXTensor {
        switch node.op {
        case "Constant": return try node.constantValue()
        case "Identity": return try constant(node, 0, "input")
        case "ConstantOfShape":
            let shape = try constant(node, 0, "shape").integers
            guard let count = ONNXTensor.elementCount(shape, limit: ONNXTensor.elementLimit) else {
                throw node.invalid("shape \(shape) is negative or too large")
            }
            let fill = node.proto.attribute.first { $0.name == "value" }
            let value = try fill.map { attribute throws(ONNXError) in try ONNXTensor(attribute.t, file: file) }
            if let value, !value.isInteger {
                return ONNXTensor(dims: shape, values: .floats([Float](repeating: value.floats.first ?? 0, count: count)))
            }
            return ONNXTensor(integers: [Int](repeating: value?.integers.first ?? 0, count: count), dims: shape)
        case "Shape":
            let dims: [Int]
            switch try value(node, 0) {
            case .constant(let tensor): dims = tensor.dims
            case .activation(let view): dims = view.dims
            }
            let rank = dims.count
            let start = Self.clampAxis(try node.int("start", default: 0), rank: rank)
            let end = Self.clampAxis(try node.int("end", default: rank), rank: rank)
            return ONNXTensor(integers: start < end ? Array(dims[start..<end]) : [])
        case "Cast":
            let input = try constant(node, 0, "input")
            let to = try node.int("to", default: 1)
            let floatTypes: Set<Int> = [1, 10, 11, 16]
            return floatTypes.contains(to)
                ? ONNXTensor(dims: input.dims, values: .floats(input.floats))
                : ONNXTensor(dims: input.dims, values: .integers(input.integers))
        case "Gather":
            let data = try constant(node, 0, "data"), indices = try constant(node, 1, "indices")
            let axis = try axis(node, try node.int("axis", default: 0), rank: data.dims.count)
            let checked = try checkedIndices(node, indices.integers, size: data.dims[axis])
            let outputDims = Array(data.dims[..<axis]) + indices.dims + Array(data.dims[(axis + 1)...])
            guard ONNXTensor.elementCount(outputDims, limit: ONNXTensor.elementLimit) != nil else {
                throw node.invalid("gathers \(outputDims), more elements than a tensor may hold")
            }
            let outer = data.dims[..<axis].reduce(1, *), inner = data.dims[(axis + 1)...].reduce(1, *)
            var positions: [Int] = []
            for o in 0..<outer {
                for i in checked { positions += ((o * data.dims[axis] + i) * inner)..<((o * data.dims[axis] + i + 1) * inner) }
            }
            return data.picking(positions, dims: Array(data.dims[..<axis]) + indices.dims + Array(data.dims[(axis + 1)...]))
        case "Unsqueeze", "Squeeze":
            let data = try constant(node, 0, "data")
            let axes = try self.axes(node, attributeBelow: 13, inputPosition: 1) ?? []
            return data.reshaped(try squeezed(node, dims: data.dims, axes: axes, unsqueeze: node.op == "Unsqueeze"))
        case "Concat":
            let parts = try (0..<node.inputs.count).map { position throws(ONNXError) in try constant(node, position, "input") }
            guard parts.allSatisfy({ $0.dims.count <= 1 }) else { throw node.unsupported("only 1-D constants are concatenated") }
            if parts.allSatisfy(\.isInteger) { return ONNXTensor(integers: parts.flatMap(\.integers)) }
            let floats = parts.flatMap(\.floats)
            return ONNXTensor(dims: [floats.count], values: .floats(floats))
        case "Slice":
            let data = try constant(node, 0, "data")
            guard data.dims.count == 1 else { throw node.unsupported("only 1-D constants are sliced") }
            let (starts, counts, steps) = try sliceWindow(node, dims: data.dims)
            return data.picking((0..<counts[0]).map { starts[0] + $0 * steps[0] }, dims: counts)
        case "Transpose":
            let data = try constant(node, 0, "data")
            let rank = data.dims.count
            let permutation = try node.ints("perm") ?? Array((0..<rank).reversed())
            guard permutation.sorted() == Array(0..<rank) else {
                throw node.invalid("perm \(permutation) is not a permutation of \(rank) axes")
            }
            let view = ONNXActivation(source: .graphInput, sourceShape: Shape(n: 1, c: 1, h: 1, w: data.count), dims: data.dims, index: nil)
            let moved = view.transposed(permutation)
            return data.picking(moved.resolvedIndex.map { Int($0) }, dims: moved.dims)
        case "Reshape":
            let data = try constant(node, 0, "data")
            return data.reshaped(try reshapedDims(node, from: data.dims, shape: try constant(node, 1, "shape").integers))
        default:
            return try arithmetic(node)
        }
    }

    /// Add, Sub, Mul, Div of two constants of one shape, or one of them a single element.
    private func arithmetic(_ node: ONNXNode) throws(ONNXError) -> ONNXTensor {
        let a = try constant(node, 0, "A"), b = try constant(node, 1, "B")
        guard a.dims == b.dims || a.count == 1 || b.count == 1 else {
            throw node.unsupported("constant shapes \(a.dims) and \(b.dims) broadcast in a way this importer does not compute")
        }
        let dims = a.count >= b.count ? a.dims : b.dims, count = max(a.count, b.count)
        if a.isInteger && b.isInteger {
            let x = a.integers, y = b.integers
            var result: [Int] = []
            for i in 0..<count {
                let (l, r) = (x[a.count == 1 ? 0 : i], y[b.count == 1 ? 0 : i])
                switch node.op {
                case "Add": result.append(l &+ r)
                case "Sub": result.append(l &- r)
                case "Mul": result.append(l &* r)
                default:
                    guard r != 0 else { throw node.invalid("divides by zero") }
                    result.append(l / r)
                }
            }
            return ONNXTensor(integers: result, dims: dims)
        }
        let x = a.floats, y = b.floats
        let result: [Float] = (0..<count).map { i in
            let (l, r) = (x[a.count == 1 ? 0 : i], y[b.count == 1 ? 0 : i])
            switch node.op {
            case "Add": return l + r
            case "Sub": return l - r
            case "Mul": return l * r
            default: return l / r
            }
        }
        return ONNXTensor(dims: dims, values: .floats(result))
    }

    static func clampAxis(_ axis: Int, rank: Int) -> Int { min(max(axis < 0 ? axis + rank : axis, 0), rank) }
}
