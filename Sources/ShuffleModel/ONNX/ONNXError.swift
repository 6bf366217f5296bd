/// Everything that can go wrong opening an ONNX file and turning its graph into engine steps.
///
/// Every message names the file, and where one is involved the ONNX node (its op type and
/// name), the tensor and the shapes, so one line tells a user what in the file is the problem.
public enum ONNXError: Error, Equatable, CustomStringConvertible {
    /// The bytes do not decode as an ONNX `ModelProto` (truncated, wrong field types, not ONNX).
    case malformed(file: String, reason: String)
    /// The file decodes but lacks something every model has (a graph, an input, an output).
    case incomplete(file: String, reason: String)
    /// A tensor keeps its data in another file (`data_location = EXTERNAL`).
    case externalData(file: String, tensor: String)
    /// A tensor's declared shape, type or data disagree, or it is too large to hold.
    case invalidTensor(file: String, tensor: String, reason: String)
    /// An op outside the set this importer knows, or a known op used in a way it cannot run.
    case unsupportedOp(file: String, op: String, node: String, reason: String)
    /// A node's inputs have shapes or values it cannot work with (an impossible Reshape, say).
    case invalidNode(file: String, op: String, node: String, reason: String)
    /// The nodes depend on each other in a cycle, or read a value nothing produces.
    case invalidGraph(file: String, reason: String)
    /// The graph's input does not fit what was asked (`--input-size`, the batch).
    case inputMismatch(file: String, reason: String)

    public var description: String {
        switch self {
        case .malformed(let file, let reason):
            return "\(file): not a readable ONNX model: \(reason)"
        case .incomplete(let file, let reason):
            return "\(file): incomplete ONNX model: \(reason)"
        case .externalData(let file, let tensor):
            return "\(file): tensor '\(tensor)' keeps its data in an external file, which is not supported; "
                + "save the model with its weights inside (onnx.save(model, path, save_as_external_data=False))"
        case .invalidTensor(let file, let tensor, let reason):
            return "\(file): tensor '\(tensor)': \(reason)"
        case .unsupportedOp(let file, let op, let node, let reason):
            return "\(file): unsupported \(op) node '\(node)': \(reason)"
        case .invalidNode(let file, let op, let node, let reason):
            return "\(file): \(op) node '\(node)': \(reason)"
        case .invalidGraph(let file, let reason):
            return "\(file): invalid ONNX graph: \(reason)"
        case .inputMismatch(let file, let reason):
            return "\(file): \(reason)"
        }
    }
}
