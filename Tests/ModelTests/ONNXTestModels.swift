import Foundation
import SwiftProtobuf

@testable import ShuffleModel

/// Small ONNX models written in Swift, to break on purpose: a 1×1 convolution, a channel shuffle
/// as Reshape → Transpose → Reshape, a global average pool, Flatten and Gemm.
enum ONNXTestModels {
    static func tensor(_ name: String, dims: [Int], floats: [Float]) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = dims.map { Int64($0) }
        tensor.dataType = 1
        tensor.floatData = floats
        return tensor
    }

    static func integers(_ name: String, _ values: [Int]) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = [Int64(values.count)]
        tensor.dataType = 7
        tensor.rawData = values.reduce(into: Data()) { data, value in
            withUnsafeBytes(of: Int64(value).littleEndian) { data.append(contentsOf: $0) }
        }
        return tensor
    }

    static func node(_ op: String, _ inputs: [String], _ outputs: [String], ints: [String: [Int]] = [:]) -> Onnx_NodeProto {
        var node = Onnx_NodeProto()
        node.opType = op
        node.name = "\(op.lowercased())_\(outputs.first ?? "")"
        node.input = inputs
        node.output = outputs
        for (key, values) in ints.sorted(by: { $0.key < $1.key }) {
            var attribute = Onnx_AttributeProto()
            attribute.name = key
            if key == "group" || key == "axis" {
                attribute.type = .int
                attribute.i = Int64(values[0])
            } else {
                attribute.type = .ints
                attribute.ints = values.map { Int64($0) }
            }
            node.attribute.append(attribute)
        }
        return node
    }

    static func value(_ name: String, dims: [Int]) -> Onnx_ValueInfoProto {
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type.tensorType.elemType = 1
        info.type.tensorType.shape.dim = dims.map { dim in
            var dimension = Onnx_TensorShapeProto.Dimension()
            dimension.dimValue = Int64(dim)
            return dimension
        }
        return info
    }

    /// `[1, 3, 32, 32]` → conv 1×1 to 6 channels → shuffle of 3 groups (paper) → pool → fc to 4.
    static func shuffleModel(reshapeTo: [Int] = [1, 6, 32, 32]) -> Onnx_ModelProto {
        var graph = Onnx_GraphProto()
        graph.name = "tiny"
        graph.input = [value("x", dims: [1, 3, 32, 32])]
        graph.output = [value("y", dims: [1, 4])]
        graph.initializer = [
            tensor("w", dims: [6, 3, 1, 1], floats: (0..<18).map { Float($0 % 5) * 0.1 - 0.2 }),
            tensor("b", dims: [6], floats: [0.1, -0.1, 0.2, 0, 0.05, -0.3]),
            integers("s5", [1, 3, 2, 32, 32]), integers("s4", reshapeTo),
            tensor("fw", dims: [4, 6], floats: (0..<24).map { Float($0 % 7) * 0.1 - 0.3 }),
            tensor("fb", dims: [4], floats: [0, 1, 2, 3]),
        ]
        graph.node = [
            node("Conv", ["x", "w", "b"], ["c"], ints: ["kernel_shape": [1, 1]]),
            node("Reshape", ["c", "s5"], ["r5"]),
            node("Transpose", ["r5"], ["t5"], ints: ["perm": [0, 2, 1, 3, 4]]),
            node("Reshape", ["t5", "s4"], ["r4"]),
            node("GlobalAveragePool", ["r4"], ["p"]),
            node("Flatten", ["p"], ["f"], ints: ["axis": [1]]),
            node("Gemm", ["f", "fw", "fb"], ["y"]),
        ]
        graph.node[6].attribute.append({
            var attribute = Onnx_AttributeProto()
            attribute.name = "transB"
            attribute.type = .int
            attribute.i = 1
            return attribute
        }())
        var model = Onnx_ModelProto()
        model.irVersion = 8
        model.producerName = "shufflescope tests"
        var opset = Onnx_OperatorSetIdProto()
        opset.version = 13
        model.opsetImport = [opset]
        model.graph = graph
        return model
    }

    /// Writes `model` (or raw bytes) to a file in a scratch folder and returns its URL.
    static func write(_ bytes: Data, named name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shufflescope-onnx-tests-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try bytes.write(to: url)
        return url
    }

    static func write(_ model: Onnx_ModelProto, named name: String) throws -> URL {
        try write(try model.serializedBytes() as Data, named: name)
    }
}
