import ShuffleEngine

/// An ONNX tensor computed from the image: a view of one engine tensor (an engine node's output
/// or the graph input).
///
/// ONNX moves data with Reshape, Transpose, Gather, Slice, Split, Squeeze, Unsqueeze and Flatten;
/// the engine has no such ops. Each of them is followed here on an index map instead: `index[i]`
/// is the flat position in `source` of element `i` (row-major over `dims`) of this view, or nil
/// when the view's elements are the source's in order (a Reshape or Flatten keeps that). When
/// a view reaches an op that computes, `ONNXChannelMap` reads off which source channel each of its
/// channels is and turns that into a channel shuffle and/or a channel slice — so a
/// Reshape → Transpose → Reshape chain becomes one shuffle step, whatever shapes it went through.
struct ONNXActivation: Sendable {
    var source: NodeInput
    /// The engine tensor's shape.
    var sourceShape: Shape
    /// The ONNX shape of this view.
    var dims: [Int]
    /// Flat source position of each element, nil for the source's own order.
    var index: [Int32]?
    /// The ONNX nodes that moved the data since the source (Reshape, Transpose, …).
    var via: [String] = []
    /// Zeros a `Pad` put around each plane, waiting for the AveragePool that reads them (older
    /// exports write PyTorch's `count_include_pad` average pool as Pad + AveragePool).
    var pendingPadding = 0

    /// The engine tensor itself, seen with its own NCHW shape.
    init(source: NodeInput, shape: Shape) {
        self.source = source
        sourceShape = shape
        dims = shape.dims
        index = nil
    }

    init(source: NodeInput, sourceShape: Shape, dims: [Int], index: [Int32]?) {
        self.source = source
        self.sourceShape = sourceShape
        self.dims = dims
        self.index = index
    }

    var count: Int { dims.reduce(1, *) }

    /// The index map, written out (the identity when the view is in source order).
    var resolvedIndex: [Int32] { index ?? (0..<count).map { Int32($0) } }

    /// Whether the view is the engine tensor itself in NCHW.
    var isSource: Bool { index == nil && dims == sourceShape.dims }

    /// Whether the view holds all of the engine tensor's elements in its order (in any dims).
    var isInOrder: Bool { index == nil && count == sourceShape.count }

    /// The same elements in `dims` of the same count.
    func reshaped(_ dims: [Int]) -> ONNXActivation {
        var view = self
        view.dims = dims
        return view
    }

    /// The same view, noted as having passed through ONNX node `name`.
    func through(_ name: String) -> ONNXActivation {
        var view = self
        view.via.append(name)
        return view
    }

    /// The axes permuted: output axis `a` is input axis `permutation[a]`.
    func transposed(_ permutation: [Int]) -> ONNXActivation {
        let outputDims = permutation.map { dims[$0] }
        let inputStrides = rowMajorStrides(dims)
        let strides = permutation.map { inputStrides[$0] }
        let positions = StridedWalk.positions(shape: outputDims, strides: strides, offset: 0)
        return picking(positions, dims: outputDims)
    }

    /// Elements `starts[a] ..< ends[a]` by `steps[a]` along every axis (already clamped and positive-step).
    func sliced(starts: [Int], counts: [Int], steps: [Int]) -> ONNXActivation {
        let inputStrides = rowMajorStrides(dims)
        let offset = zip(starts, inputStrides).reduce(0) { $0 + $1.0 * $1.1 }
        let strides = zip(steps, inputStrides).map { $0 * $1 }
        return picking(StridedWalk.positions(shape: counts, strides: strides, offset: offset), dims: counts)
    }

    /// Gather along `axis` with `indices` (already non-negative and in range) of `indexDims`.
    func gathered(axis: Int, indices: [Int], indexDims: [Int]) -> ONNXActivation {
        let outer = dims[..<axis].reduce(1, *), inner = dims[(axis + 1)...].reduce(1, *)
        var positions: [Int] = []
        positions.reserveCapacity(outer * indices.count * inner)
        for o in 0..<outer {
            for i in indices {
                let base = (o * dims[axis] + i) * inner
                positions.append(contentsOf: base..<(base + inner))
            }
        }
        return picking(positions, dims: Array(dims[..<axis]) + indexDims + Array(dims[(axis + 1)...]))
    }

    /// The view of the elements at these flat positions of this view.
    private func picking(_ positions: [Int], dims: [Int]) -> ONNXActivation {
        let mapped: [Int32]
        if let index { mapped = positions.map { index[$0] } } else { mapped = positions.map { Int32($0) } }
        var view = ONNXActivation(source: source, sourceShape: sourceShape, dims: dims, index: mapped)
        view.via = via
        return view
    }
}
