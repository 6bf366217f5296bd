import Foundation
import ShuffleEngine
import SwiftProtobuf

/// Reads an ONNX model and lowers its graph to an engine graph for one input size.
enum ONNXImporter {
    /// The most nodes a graph may have (a ShuffleNet export has a few hundred).
    static let nodeLimit = 100_000

    /// Whether `bytes` look like an ONNX model: a protobuf whose first field is `ir_version`
    /// (field 1, varint: byte `0x08`) holding a small version, followed by the tag of another
    /// `ModelProto` field (number 2–20, varint or length-delimited). A safetensors header length
    /// that happens to start with `0x08` is followed by zero bytes, which no tag is.
    static func looksLikeONNX(_ bytes: Data) -> Bool {
        guard bytes.count >= 3, bytes[bytes.startIndex] == 0x08 else { return false }
        let version = bytes[bytes.startIndex + 1], tag = bytes[bytes.startIndex + 2]
        let field = tag >> 3, wireType = tag & 7
        return version >= 1 && version < 0x40 && (2...20).contains(field) && (wireType == 0 || wireType == 2)
    }

    /// Decodes the `ModelProto` (nesting is limited by swift-protobuf's default depth of 100).
    static func parse(_ bytes: Data, file: String) throws(ONNXError) -> Onnx_ModelProto {
        let model: Onnx_ModelProto
        do {
            model = try Onnx_ModelProto(serializedBytes: bytes)
        } catch {
            throw .malformed(file: file, reason: "\(error)")
        }
        guard model.hasGraph else { throw .incomplete(file: file, reason: "it holds no graph") }
        guard model.graph.node.count <= nodeLimit else {
            throw .incomplete(file: file, reason: "\(model.graph.node.count) nodes, more than the \(nodeLimit) read")
        }
        return model
    }

    /// The default-domain opset the model imports.
    static func opset(_ model: Onnx_ModelProto, file: String) throws(ONNXError) -> Int {
        guard let entry = model.opsetImport.first(where: { $0.domain.isEmpty || $0.domain == "ai.onnx" }) else {
            throw .incomplete(file: file, reason: "it imports no ai.onnx opset")
        }
        return Int(clamping: entry.version)
    }

    /// The graph for inputs of `inputSize`: engine nodes in order with provisional names, the
    /// ONNX nodes each was made from, and the batch the file's Reshapes were worked out for.
    static func lower(_ model: Onnx_ModelProto, file: String, inputSize: PlaneSize) throws(ONNXError) -> Graph {
        let graph = model.graph
        var initializers: [String: ONNXTensor] = [:]
        for proto in graph.initializer { initializers[proto.name] = try ONNXTensor(proto, file: file) }
        let input = try ONNXInputSpec(graph, initializers: initializers, file: file, inputSize: inputSize)
        let nodes = graph.node.enumerated().map { ONNXNode(proto: $0.element, file: file, position: $0.offset) }
        var uses: [String: Int] = [:]
        for node in nodes { for name in node.inputs where !name.isEmpty { uses[name, default: 0] += 1 } }
        for output in graph.output { uses[output.name, default: 0] += 1 }
        var lowering = ONNXLowering(file: file, opset: try opset(model, file: file), uses: uses)
        for (name, tensor) in initializers { lowering.set(name, .constant(tensor)) }
        lowering.set(input.name, .activation(ONNXActivation(source: .graphInput, shape: input.shape)))
        for node in try ordered(nodes, available: Set(initializers.keys).union([input.name]), file: file) {
            try lower(node, into: &lowering)
        }
        guard graph.output.count == 1, let output = graph.output.first else {
            throw .incomplete(file: file, reason: "\(graph.output.count) graph outputs (one, the logits, is read)")
        }
        guard case .activation(let view)? = lowering.values[output.name], view.isInOrder,
            case .node(let last) = view.source
        else {
            throw .invalidGraph(file: file, reason: "the output '\(output.name)' is not computed from the input by an engine step")
        }
        return ONNXPruning.graph(
            inputShape: input.shape, nodes: ONNXChannelMap.matchingConvolutionGroups(lowering.nodes), origins: lowering.origins, output: last)
    }

    /// One ONNX node lowered: shape arithmetic, data movement or a computing op.
    private static func lower(_ node: ONNXNode, into lowering: inout ONNXLowering) throws(ONNXError) {
        guard node.proto.domain.isEmpty || node.proto.domain == "ai.onnx" else {
            throw node.unsupported("ops of domain '\(node.proto.domain)' are not read")
        }
        guard !node.outputs.isEmpty else { throw node.invalid("has no outputs") }
        if lowering.isConstantNode(node) {
            lowering.set(node.outputs[0], .constant(try lowering.evaluateConstant(node)))
            return
        }
        switch node.op {
        case "Conv": try lowering.lowerConvolution(node)
        case "BatchNormalization": try lowering.lowerBatchNorm(node)
        case "Relu": try lowering.lowerRelu(node)
        case "MaxPool", "AveragePool", "GlobalAveragePool": try lowering.lowerPool(node)
        case "ReduceMean": try lowering.lowerReduceMean(node)
        case "Pad": try lowering.lowerPad(node)
        case "Add": try lowering.lowerAdd(node)
        case "Concat": try lowering.lowerConcat(node)
        case "Gemm": try lowering.lowerGemm(node)
        case "MatMul": try lowering.lowerMatMul(node)
        case "Softmax": try lowering.lowerSoftmax(node)
        case let op where ONNXLowering.viewOps.contains(op): try lowering.lowerView(node)
        default:
            throw node.unsupported(
                "the importer reads Conv, BatchNormalization, Relu, MaxPool, AveragePool (after a zero Pad too), "
                    + "GlobalAveragePool, ReduceMean, "
                    + "Flatten, Reshape, Transpose, Gemm, MatMul, Add, Concat, Split, Slice, Gather, Softmax, Identity, "
                    + "Dropout and shape arithmetic")
        }
    }

    /// The nodes in an order where each comes after what it reads (Kahn's algorithm); a value
    /// nothing produces or a cycle is an error naming a node.
    static func ordered(_ nodes: [ONNXNode], available: Set<String>, file: String) throws(ONNXError) -> [ONNXNode] {
        // The file's own order when it is already one (ONNX requires it; the common case).
        var known = available
        var inOrder = true
        for node in nodes where inOrder {
            inOrder = node.inputs.allSatisfy { $0.isEmpty || known.contains($0) }
            known.formUnion(node.outputs)
        }
        if inOrder { return nodes }
        var producer: [String: Int] = [:]
        for (index, node) in nodes.enumerated() {
            for output in node.outputs where !output.isEmpty {
                guard producer[output] == nil, !available.contains(output) else {
                    throw .invalidGraph(file: file, reason: "value '\(output)' is produced twice (again by node '\(node.name)')")
                }
                producer[output] = index
            }
        }
        var waiting = [Int](repeating: 0, count: nodes.count)
        var readers: [Int: [Int]] = [:]
        for (index, node) in nodes.enumerated() {
            for input in node.inputs where !input.isEmpty && !available.contains(input) {
                guard let source = producer[input] else {
                    throw .invalidGraph(file: file, reason: "node '\(node.name)' reads '\(input)', which nothing produces")
                }
                waiting[index] += 1
                readers[source, default: []].append(index)
            }
        }
        var ready = (0..<nodes.count).filter { waiting[$0] == 0 }.reversed().map { $0 }
        var order: [ONNXNode] = []
        while let index = ready.popLast() {
            order.append(nodes[index])
            for reader in readers[index] ?? [] {
                waiting[reader] -= 1
                if waiting[reader] == 0 { ready.append(reader) }
            }
        }
        if order.count < nodes.count, let stuck = (0..<nodes.count).first(where: { waiting[$0] > 0 }) {
            throw .invalidGraph(file: file, reason: "node '\(nodes[stuck].name)' depends on itself through a cycle")
        }
        return order
    }
}
