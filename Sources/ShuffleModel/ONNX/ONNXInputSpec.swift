import ShuffleEngine

/// The graph's image input: its name and the NCHW shape it is lowered for. A dynamic batch is
/// lowered for one image (the engine's ops do not depend on the batch); a dynamic height or
/// width takes the requested input size, a fixed one must equal it.
struct ONNXInputSpec {
    var name: String
    var shape: Shape

    init(_ graph: Onnx_GraphProto, initializers: [String: ONNXTensor], file: String, inputSize: PlaneSize) throws(ONNXError) {
        let inputs = graph.input.filter { initializers[$0.name] == nil }
        guard inputs.count == 1, let input = inputs.first else {
            throw .incomplete(file: file, reason: "\(inputs.count) graph inputs besides the weights (one image input is read)")
        }
        let type = input.type.tensorType
        guard type.elemType == 1 || type.elemType == 0 else {
            throw .inputMismatch(file: file, reason: "input '\(input.name)' has element type \(type.elemType), not float")
        }
        let dims: [Int?] = type.shape.dim.map {
            if case .dimValue(let value)? = $0.value { return Int(clamping: value) }
            return nil
        }
        guard dims.count == 4 else {
            throw .inputMismatch(file: file, reason: "input '\(input.name)' has \(dims.count) dimensions, not NCHW's 4")
        }
        guard dims[1] == nil || dims[1] == 3 else {
            throw .inputMismatch(file: file, reason: "input '\(input.name)' has \(dims[1] ?? 0) channels, not 3")
        }
        let batch = dims[0] ?? 1
        guard batch >= 1, batch <= 64 else {
            throw .inputMismatch(file: file, reason: "input '\(input.name)' has a fixed batch of \(batch)")
        }
        if let height = dims[2], let width = dims[3], PlaneSize(height: height, width: width) != inputSize {
            throw .inputMismatch(
                file: file,
                reason: "the model takes \(height)×\(width) inputs (fixed in the file), not \(inputSize.dimensions); "
                    + "pass --input-size \(height)" + (height == width ? "" : " with a \(height)×\(width) .npy input"))
        }
        for (axis, fixed) in [(2, inputSize.height), (3, inputSize.width)] where dims[axis] != nil && dims[axis] != fixed {
            throw .inputMismatch(file: file, reason: "input axis \(axis) is fixed at \(dims[axis] ?? 0), not \(fixed)")
        }
        name = input.name
        shape = Shape(n: batch, c: 3, h: inputSize.height, w: inputSize.width)
    }
}
