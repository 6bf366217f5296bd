import Foundation
import ShuffleEngine

extension ONNXShuffleNet: ShuffleNetwork {
    public var architecture: ModelArchitecture { recognition.architecture }

    /// `ShuffleNet v1 g=3 (ONNX)`, `ShuffleNet v2 (ONNX, torchvision-like)`.
    public var name: String {
        switch recognition {
        case .v1: return "ShuffleNet v1 g=\(shuffleGroups) (ONNX)"
        case .v2Torchvision: return "ShuffleNet v2 (ONNX, torchvision-like)"
        case .v2Authors: return "ShuffleNet v2 (ONNX, authors-like)"
        }
    }

    public var configurationDescription: String {
        "\(name), opset \(opset), \(unitCount) units, \(inputSize.dimensions), \(classes) classes, "
            + "\(shuffle.rawValue) shuffle, \(preparation.preprocessing.rawValue) preprocessing by default"
    }

    public var familyDescription: String { name }

    /// An ONNX graph names no width multiplier: its stages' output channels, `[116, 232, 464]`.
    public var widthLabel: String {
        var widths: [String: Int] = [:], order: [String] = []
        for node in graph.nodes where node.place.unit != nil {
            if widths[node.place.section] == nil { order.append(node.place.section) }
            widths[node.place.section] = node.outputShape.c
        }
        return "[" + order.compactMap { widths[$0].map(String.init) }.joined(separator: ", ") + "]"
    }

    public var inputSize: PlaneSize { PlaneSize(height: graph.inputShape.h, width: graph.inputShape.w) }
    public var classes: Int { graph.nodes.last?.outputShape.c ?? 0 }

    /// Every convolution as a spec named by the steps (module = step name) and the classifier.
    public var spec: NetworkSpec {
        var convolutions: [ConvolutionSpec] = []
        var classifier = ClassifierSpec(module: "head.fc", inputFeatures: 0, classes: classes, hasBias: false)
        for node in graph.nodes {
            switch node.op {
            case .convolution(let conv):
                convolutions.append(
                    ConvolutionSpec(
                        module: node.name, batchNorm: node.name, inputChannels: conv.inputChannels,
                        outputChannels: conv.outputChannels, kernelSize: conv.kernelSize, stride: conv.stride,
                        groups: conv.groups, relu: conv.relu,
                        outputSize: PlaneSize(height: node.outputShape.h, width: node.outputShape.w),
                        seeding: .init(gain: 2)))
            case .linear(let linear):
                classifier = ClassifierSpec(
                    module: node.name, inputFeatures: linear.inputFeatures, classes: linear.outputFeatures,
                    hasBias: node.parameterCount > linear.weight.count)
            default: break
            }
        }
        return NetworkSpec(convolutions: convolutions, classifier: classifier)
    }

    /// ONNX files carry no preprocessing: torchvision's transform for a torchvision-like v2,
    /// the authors' for v1 and the authors' v2.
    public var preparation: InputPreparation { InputPreparation(preprocessing: recognition.preprocessing) }

    public var isTrained: Bool { true }
    /// `NAME (ONNX)`: an ONNX file says nothing of whether its weights were trained, so neither do we.
    public var weightsDescription: String { "\(weightsFile?.lastPathComponent ?? "model") (ONNX)" }

    public var jsonFields: [String] {
        commonJSONFields + [
            "\"format\":\"onnx\"", "\"opset\":\(opset)", "\"recognised\":\(JSONText.quote(recognition.rawValue))",
            "\"units\":\(unitCount)",
        ]
    }

    public func rebuilt(shuffle: ShuffleConvention) -> any ShuffleNetwork { rebuiltModel(shuffle: shuffle) }

    public func graph(batchSize: Int) throws(ConfigurationError) -> Graph {
        guard batchSize >= 1 else { throw .invalidBatchSize(batchSize) }
        return Self.rebatched(graph, to: batchSize)
    }
}
