extension Graph {
    /// Checks what the kernels rely on and do not check themselves: every node reads only the
    /// graph input or earlier nodes, and its stated output shape is the one its op computes
    /// from its inputs' shapes.
    public func validate() throws(ExecutionError) {
        guard !nodes.isEmpty else { throw ExecutionError("graph has no nodes") }
        var shapes: [Shape] = []
        shapes.reserveCapacity(nodes.count)
        for (index, node) in nodes.enumerated() {
            var inputShapes: [Shape] = []
            for input in node.inputs {
                switch input {
                case .graphInput:
                    inputShapes.append(inputShape)
                case .node(let source):
                    guard source >= 0 && source < index else {
                        throw ExecutionError("node \(index) '\(node.name)' reads node \(source), which does not run before it")
                    }
                    inputShapes.append(shapes[source])
                }
            }
            let expected: Shape
            do {
                expected = try node.op.outputShape(for: inputShapes)
            } catch {
                throw ExecutionError("node \(index) '\(node.name)': \(error.message)")
            }
            guard expected == node.outputShape else {
                throw ExecutionError(
                    "node \(index) '\(node.name)' states output \(node.outputShape) but \(node.op.kind) of \(inputShapes) gives \(expected)")
            }
            shapes.append(expected)
        }
    }
}
