/// One ONNX node with typed access to its attributes: an attribute of the wrong type is an
/// error naming the node, never a silent default.
struct ONNXNode: Sendable {
    let proto: Onnx_NodeProto
    let file: String
    /// Position in the file's node list.
    let position: Int

    var op: String { proto.opType }
    /// The node's name, or `#N → output` for unnamed nodes.
    var name: String {
        if !proto.name.isEmpty { return proto.name }
        return "#\(position) → \(proto.output.first ?? "?")"
    }
    /// Input names; an empty name is an omitted optional input.
    var inputs: [String] { proto.input }
    var outputs: [String] { proto.output }

    func unsupported(_ reason: String) -> ONNXError {
        .unsupportedOp(file: file, op: op, node: name, reason: reason)
    }

    func invalid(_ reason: String) -> ONNXError {
        .invalidNode(file: file, op: op, node: name, reason: reason)
    }

    private func attribute(_ key: String) -> Onnx_AttributeProto? { proto.attribute.first { $0.name == key } }

    private func typeError(_ key: String, _ attribute: Onnx_AttributeProto, expected: String) -> ONNXError {
        invalid("attribute '\(key)' is of type \(attribute.type), expected \(expected)")
    }

    func int(_ key: String) throws(ONNXError) -> Int? {
        guard let attribute = attribute(key) else { return nil }
        guard attribute.type == .int || (attribute.type == .undefined && attribute.hasI) else {
            throw typeError(key, attribute, expected: "INT")
        }
        return Int(attribute.i)
    }

    func int(_ key: String, default value: Int) throws(ONNXError) -> Int { try int(key) ?? value }

    func ints(_ key: String) throws(ONNXError) -> [Int]? {
        guard let attribute = attribute(key) else { return nil }
        guard attribute.type == .ints || (attribute.type == .undefined && !attribute.ints.isEmpty) else {
            throw typeError(key, attribute, expected: "INTS")
        }
        return attribute.ints.map { Int(clamping: $0) }
    }

    func float(_ key: String, default value: Float) throws(ONNXError) -> Float {
        guard let attribute = attribute(key) else { return value }
        guard attribute.type == .float || (attribute.type == .undefined && attribute.hasF) else {
            throw typeError(key, attribute, expected: "FLOAT")
        }
        return attribute.f
    }

    func string(_ key: String) throws(ONNXError) -> String? {
        guard let attribute = attribute(key) else { return nil }
        guard attribute.type == .string || (attribute.type == .undefined && attribute.hasS) else {
            throw typeError(key, attribute, expected: "STRING")
        }
        return String(decoding: attribute.s, as: UTF8.self)
    }

    /// A `Constant` node's value: `value` (a tensor) or `value_int(s)` / `value_float(s)`.
    func constantValue() throws(ONNXError) -> ONNXTensor {
        for attribute in proto.attribute {
            switch attribute.name {
            case "value":
                guard attribute.type == .tensor || attribute.hasT else { throw typeError("value", attribute, expected: "TENSOR") }
                return try ONNXTensor(attribute.t, file: file)
            case "value_int": return ONNXTensor(integers: [try int("value_int") ?? 0], dims: [])
            case "value_ints": return ONNXTensor(integers: try ints("value_ints") ?? [])
            case "value_float": return ONNXTensor(dims: [], values: .floats([try float("value_float", default: 0)]))
            case "value_floats":
                guard attribute.type == .floats else { throw typeError("value_floats", attribute, expected: "FLOATS") }
                return ONNXTensor(dims: [attribute.floats.count], values: .floats(attribute.floats))
            default: continue
            }
        }
        throw unsupported("a Constant needs a tensor, int or float value")
    }
}
