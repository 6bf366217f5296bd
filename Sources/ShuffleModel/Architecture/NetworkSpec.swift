import ShuffleEngine

/// An architecture's parameters, described once: its convolutions in network order and its
/// classifier. Checkpoint checking, seeding, folding and accounting all walk this description.
public struct NetworkSpec: Sendable, Equatable {
    /// The four batch-norm arrays inference needs, in PyTorch's order.
    public static let batchNormFields = ["weight", "bias", "running_mean", "running_var"]

    public var convolutions: [ConvolutionSpec]
    public var classifier: ClassifierSpec

    public init(convolutions: [ConvolutionSpec], classifier: ClassifierSpec) {
        self.convolutions = convolutions
        self.classifier = classifier
    }

    /// Every key inference needs with its shape, in network order.
    public var expectedShapes: [(key: String, shape: [Int])] {
        convolutions.flatMap(\.expectedShapes) + classifier.expectedShapes
    }

    /// Every key inference needs, in network order.
    public var keys: [String] { expectedShapes.map(\.key) }

    /// PyTorch's parameter count of the whole network.
    public var parameterCount: Int { convolutions.reduce(classifier.parameterCount) { $0 + $1.parameterCount } }
    /// Multiply-adds of every convolution for one image (the papers' "FLOPs").
    public var convolutionMultiplyAdds: Int { convolutions.reduce(0) { $0 + $1.multiplyAdds } }
    /// Multiply-adds of convolutions and the classifier.
    public var multiplyAdds: Int { convolutionMultiplyAdds + classifier.multiplyAdds }


    /// Checks that `shapes` holds exactly this network's keys with these shapes: missing keys
    /// first (they say most about what the file is), then extra keys, then shapes.
    func check(_ shapes: [String: [Int]], file: String, network: String) throws(WeightsError) {
        let expected = expectedShapes
        let missing = expected.map(\.key).filter { shapes[$0] == nil }
        if !missing.isEmpty { throw .missingKeys(file: file, network: network, keys: missing) }
        let known = Set(expected.map(\.key))
        let extra = shapes.keys.filter { !known.contains($0) }.sorted()
        if !extra.isEmpty { throw .unexpectedKeys(file: file, network: network, keys: extra) }
        for (key, shape) in expected where shapes[key] != shape {
            throw .shapeMismatch(file: file, key: key, expected: shape, actual: shapes[key] ?? [])
        }
    }

    /// Rejects NaN and ±Inf anywhere, and negative running variances (network order, first hit).
    func checkValues(_ tensors: CheckpointTensors) throws(WeightsError) {
        for key in keys {
            let values = try tensors.tensor(key).values
            if let index = values.firstIndex(where: { !$0.isFinite }) {
                throw .nonFiniteValue(file: tensors.origin, key: key, index: index, value: values[index])
            }
            if key.hasSuffix(".running_var"), let index = values.firstIndex(where: { $0 < 0 }) {
                throw .negativeVariance(file: tensors.origin, key: key, index: index, value: values[index])
            }
        }
    }

    /// Every convolution folded, by module path, and the classifier.
    func folded(_ tensors: CheckpointTensors) throws(WeightsError) -> FoldedNetwork {
        try checkValues(tensors)
        var convolutions: [String: Convolution] = [:]
        for spec in self.convolutions { convolutions[spec.module] = try spec.folded(tensors) }
        return FoldedNetwork(convolutions: convolutions, classifier: try classifier.linear(tensors))
    }
}

/// A network's weights ready to run: every batch norm folded into its convolution.
public struct FoldedNetwork: Sendable {
    /// By module path (`ConvolutionSpec.module`).
    public var convolutions: [String: Convolution]
    public var classifier: Linear

    /// The folded convolution of `spec`; every spec of the network it was folded from has one.
    public func callAsFunction(_ spec: ConvolutionSpec) -> Convolution {
        guard let convolution = convolutions[spec.module] else {
            preconditionFailure("\(spec.module) was not folded with this network")
        }
        return convolution
    }
}
