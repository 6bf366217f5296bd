/// Axis, index and shape rules ONNX shares between its ops, each failure an error naming the node.
extension ONNXLowering {
    /// `axis` in `0 ..< rank` (negative counts from the end).
    func axis(_ node: ONNXNode, _ axis: Int, rank: Int) throws(ONNXError) -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        guard resolved >= 0, resolved < rank else { throw node.invalid("axis \(axis) is outside a tensor of rank \(rank)") }
        return resolved
    }

    /// `indices` in `0 ..< size` (negative counts from the end).
    func checkedIndices(_ node: ONNXNode, _ indices: [Int], size: Int) throws(ONNXError) -> [Int] {
        var result: [Int] = []
        for index in indices {
            let resolved = index < 0 ? index + size : index
            guard resolved >= 0, resolved < size else { throw node.invalid("index \(index) is outside an axis of size \(size)") }
            result.append(resolved)
        }
        return result
    }

    /// The `axes` of Squeeze, Unsqueeze or ReduceMean: an attribute before opset `attributeBelow`,
    /// the input at `inputPosition` from it on. Nil when absent.
    func axes(_ node: ONNXNode, attributeBelow version: Int, inputPosition: Int) throws(ONNXError) -> [Int]? {
        if opset < version { return try node.ints("axes") }
        return try optionalConstant(node, inputPosition, "axes")?.integers
    }

    /// `dims` with size-1 `axes` removed (Squeeze; all size-1 axes when none are given) or
    /// inserted (Unsqueeze, axes of the output).
    func squeezed(_ node: ONNXNode, dims: [Int], axes: [Int], unsqueeze: Bool) throws(ONNXError) -> [Int] {
        if unsqueeze {
            let rank = dims.count + axes.count
            let resolved = Set(try axes.map { axis throws(ONNXError) in try self.axis(node, axis, rank: rank) })
            guard resolved.count == axes.count else { throw node.invalid("axes \(axes) repeat") }
            var source = dims.makeIterator()
            return (0..<rank).map { resolved.contains($0) ? 1 : (source.next() ?? 1) }
        }
        let resolved = Set(try axes.map { axis throws(ONNXError) in try self.axis(node, axis, rank: dims.count) })
        for axis in resolved where dims[axis] != 1 {
            throw node.invalid("cannot squeeze axis \(axis) of size \(dims[axis])")
        }
        return dims.enumerated().filter { resolved.isEmpty ? $0.element != 1 : !resolved.contains($0.offset) }.map(\.element)
    }

    /// ONNX Reshape's target: `0` copies the input's dim (unless `allowzero`), one `-1` takes
    /// what is left; the element count must not change.
    func reshapedDims(_ node: ONNXNode, from dims: [Int], shape: [Int]) throws(ONNXError) -> [Int] {
        let allowZero = try node.int("allowzero", default: 0) != 0
        let count = dims.reduce(1, *)
        var result: [Int] = []
        var inferred: Int?
        for (axis, dim) in shape.enumerated() {
            switch dim {
            case 0 where !allowZero:
                guard axis < dims.count else { throw node.invalid("shape \(shape) copies axis \(axis) of \(dims), which has none") }
                result.append(dims[axis])
            case -1:
                guard inferred == nil else { throw node.invalid("shape \(shape) has more than one -1") }
                inferred = axis
                result.append(1)
            default:
                guard dim >= 0 else { throw node.invalid("shape \(shape) has a negative dimension") }
                result.append(dim)
            }
        }
        guard let known = ONNXTensor.elementCount(result, limit: ONNXLowering.activationLimit) else {
            throw node.invalid("cannot reshape \(dims) (\(count) elements) to \(shape): too large")
        }
        if let inferred {
            guard known > 0, count % known == 0 else {
                throw node.invalid("cannot reshape \(dims) (\(count) elements) to \(shape)")
            }
            result[inferred] = count / known
        } else if known != count {
            throw node.invalid("cannot reshape \(dims) (\(count) elements) to \(shape) (\(known) elements)")
        }
        return result
    }

    /// Slice's window on every axis of `dims`: attributes before opset 10, inputs from it on.
    /// Steps must be positive.
    func sliceWindow(_ node: ONNXNode, dims: [Int]) throws(ONNXError) -> (starts: [Int], counts: [Int], steps: [Int]) {
        let starts: [Int], ends: [Int], axes: [Int]?, steps: [Int]?
        if opset < 10 {
            starts = try node.ints("starts") ?? []
            ends = try node.ints("ends") ?? []
            axes = try node.ints("axes")
            steps = nil
        } else {
            starts = try constant(node, 1, "starts").integers
            ends = try constant(node, 2, "ends").integers
            axes = try optionalConstant(node, 3, "axes")?.integers
            steps = try optionalConstant(node, 4, "steps")?.integers
        }
        let sliced = try (axes ?? Array(0..<starts.count)).map { axis throws(ONNXError) in try self.axis(node, axis, rank: dims.count) }
        guard starts.count == sliced.count, ends.count == sliced.count, (steps?.count ?? sliced.count) == sliced.count else {
            throw node.invalid("starts \(starts), ends \(ends) and axes \(sliced) differ in length")
        }
        var windowStarts = [Int](repeating: 0, count: dims.count), counts = dims
        var windowSteps = [Int](repeating: 1, count: dims.count)
        for (k, axis) in sliced.enumerated() {
            let size = dims[axis], step = steps?[k] ?? 1
            guard step > 0 else { throw node.unsupported("slices with step \(step) (only positive steps are read)") }
            func clamp(_ value: Int) -> Int { min(max(value < 0 ? value + size : value, 0), size) }
            let start = clamp(starts[k]), end = clamp(ends[k])
            windowStarts[axis] = start
            windowSteps[axis] = step
            counts[axis] = end > start ? (end - start + step - 1) / step : 0
        }
        return (windowStarts, counts, windowSteps)
    }
}
