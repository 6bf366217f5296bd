extension ShuffleNetV2Configuration {
    /// The layout whose first unit's keys `shapes` holds, if any.
    static func layout(of shapes: [String: [Int]]) -> ShuffleNetV2Layout? {
        if shapes["conv1.0.weight"] != nil && shapes["stage2.0.branch2.0.weight"] != nil { return .torchvision }
        if shapes["first_conv.0.weight"] != nil && shapes["features.0.branch_main.0.weight"] != nil { return .authors }
        return nil
    }

    /// The network a checkpoint's shapes describe: conv1 from the stem, each stage's width from its
    /// first unit (both branches' outputs), conv5 and classes from the head; then every key and
    /// shape is checked against that network.
    static func inferred(
        from checkpoint: CheckpointTensors, layout: ShuffleNetV2Layout, inputSize: PlaneSize
    ) throws(WeightsError) -> ShuffleNetV2Configuration {
        let file = checkpoint.origin
        func dimension(_ key: String, _ axis: Int, rank: Int) throws(WeightsError) -> Int {
            guard let value = checkpoint.dimension(key, axis, rank: rank) else {
                throw .unsupportedLayout(
                    file: file, key: key, shape: checkpoint.shapes[key] ?? [],
                    reason: "should have \(rank) non-zero dimensions")
            }
            return value
        }
        guard let probe = try? ShuffleNetV2Configuration(layout: layout) else {
            preconditionFailure("the standard 1.0× network always builds")
        }
        var widths = [try dimension(probe.stemModule + ".0.weight", 0, rank: 4)]
        for first in probe.units where first.stride == 2 {
            let keys = ShuffleNetV2UnitKeys(first, layout: layout)
            let projection = try dimension(keys.projectionPointwise + ".weight", 0, rank: 4)
            let main = try dimension(keys.pointwise2 + ".weight", 0, rank: 4)
            widths.append(projection + main)
        }
        widths.append(try dimension(probe.lastConvolutionModule + ".0.weight", 0, rank: 4))
        let classes = try dimension(probe.classifierModule + ".weight", 0, rank: 2)
        let standard = supportedWidths.first { (try? standardWidths(width: $0)) == widths }
        let nominal = standard ?? (Double(widths[1]) / 116 * 100).rounded() / 100
        let configuration: ShuffleNetV2Configuration
        do {
            configuration = try ShuffleNetV2Configuration(
                layout: layout, widths: widths, width: nominal, inputSize: inputSize, classes: classes)
        } catch let error {
            throw .unsupportedLayout(
                file: file, key: probe.stemModule + ".0.weight", shape: checkpoint.shapes[probe.stemModule + ".0.weight"] ?? [],
                reason: "starts a network that cannot be built: \(error)")
        }
        try configuration.spec.check(checkpoint.shapes, file: file, network: configuration.familyName)
        return configuration
    }

    /// `ShuffleNet v2 (torchvision)`.
    var familyName: String { "\(Self.family) (\(layout.rawValue))" }
}
