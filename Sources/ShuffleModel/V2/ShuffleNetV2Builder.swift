import ShuffleEngine

/// Turns folded ShuffleNet v2 weights into an engine graph whose steps read like the unit:
///
/// ```
/// stem.conv            conv 3×3/2 + BN + ReLU                       (conv1 / first_conv)
/// stem.maxpool         max pool 3×3/2, pad 1                        (maxpool)
/// stride-2 unit:
///   branch1.dw         3×3 depthwise/2 + BN         on the whole input
///   branch1.pw         1×1 + BN + ReLU
///   branch2.pw1        1×1 + BN + ReLU              on the whole input
///   branch2.dw         3×3 depthwise/2 + BN
///   branch2.pw2        1×1 + BN + ReLU
///   concat             [branch1, branch2]
///   shuffle            g = 2 (torchvision only)                     (stageN.k)
/// stride-1 unit, torchvision:
///   pass / split       the first / second half of the channels
///   branch2.pw1, .dw, .pw2
///   concat             [pass, branch2]
///   shuffle            g = 2, the paper's convention                (stageN.k)
/// stride-1 unit, the authors':
///   shuffle            even channels first, then odd ones (their split, a g = 2 shuffle)
///   pass / split       the even / odd channels
///   branch2.pw1, .dw, .pw2
///   concat             [pass, branch2]                              (features.N)
/// head.conv5           1×1 + BN + ReLU                              (conv5 / conv_last)
/// head.pool            global average pool
/// head.fc              linear                                       (fc / classifier)
/// ```
/// For the authors' layout branch1 is their `branch_proj` and branch2 their `branch_main`.
enum ShuffleNetV2Builder {
    static func graph(
        _ configuration: ShuffleNetV2Configuration, weights: FoldedNetwork, batchSize: Int = 1
    ) -> Graph {
        var builder = GraphBuilder(batchSize: batchSize)
        let spec = configuration.spec
        var specs = spec.convolutions.makeIterator()
        /// The next convolution in network order: the builder walks the spec in the order it lists them.
        func next() -> Op {
            guard let conv = specs.next() else { preconditionFailure("the spec lists every convolution the graph uses") }
            return .convolution(weights(conv))
        }
        let authors = configuration.layout == .authors
        func stem(_ label: String) -> NodePlace { NodePlace(section: "stem", label: label, role: .stem) }
        var x = builder.add(
            "stem.conv", next(), [.graphInput], channels: configuration.widths[0],
            size: configuration.stemSize, source: configuration.stemModule, place: stem("conv"))
        x = builder.add(
            "stem.maxpool", .maxPool(PoolWindow(kernelSize: 3, stride: 2, padding: 1)), [x],
            channels: configuration.widths[0], size: configuration.poolSize, source: "maxpool", place: stem("maxpool"))
        for unit in configuration.units {
            let keys = ShuffleNetV2UnitKeys(unit, layout: configuration.layout)
            func place(_ label: String, _ role: StepRole, _ bands: ChannelBands = .whole) -> NodePlace {
                NodePlace(section: "stage\(unit.stage)", unit: "unit\(unit.index)", label: label, role: role, bands: bands)
            }
            func add(
                _ label: String, _ op: Op, _ inputs: [NodeInput], channels: Int, size: PlaneSize, role: StepRole,
                bands: ChannelBands = .whole, source: String? = nil
            ) -> NodeInput {
                builder.add(
                    "\(unit.name).\(label)", op, inputs, channels: channels, size: size, source: source,
                    place: place(label, role, bands))
            }
            let half = unit.half, out = unit.outputChannels
            let shuffle = Op.channelShuffle(groups: 2, convention: configuration.shuffle)
            let first: NodeInput, passed: NodeInput?
            var parts: [BandPart]
            if unit.stride == 2 {
                let dw = add(
                    "branch1.dw", next(), [x], channels: unit.inputChannels, size: unit.outputSize,
                    role: .depthwise)
                first = add(
                    "branch1.pw", next(), [dw], channels: configuration.projectionOutput(unit),
                    size: unit.outputSize, role: .pointwise)
                passed = nil
                parts = [BandPart(name: "branch1", channels: configuration.projectionOutput(unit))]
            } else {
                var input = x
                if authors {
                    input = add(
                        "shuffle", shuffle, [x], channels: out, size: unit.inputSize, role: .shuffle,
                        bands: .parts([BandPart(name: "even", channels: half), BandPart(name: "odd", channels: half)]))
                }
                first = add(
                    "pass", .channelSlice(start: 0, count: half), [input], channels: half, size: unit.inputSize,
                    role: .split)
                passed = add(
                    "split", .channelSlice(start: half, count: half), [input], channels: half, size: unit.inputSize,
                    role: .split)
                parts = [BandPart(name: "pass", channels: half)]
            }
            let main = configuration.mainOutput(unit)
            let pw1 = add(
                "branch2.pw1", next(), [passed ?? x], channels: unit.half, size: unit.inputSize,
                role: .pointwise)
            let dw = add(
                "branch2.dw", next(), [pw1], channels: unit.half, size: unit.outputSize, role: .depthwise)
            let pw2 = add(
                "branch2.pw2", next(), [dw], channels: main, size: unit.outputSize, role: .pointwise)
            parts.append(BandPart(name: "branch2", channels: main))
            // The unit's module output: the concat for the authors', the shuffle after it for torchvision.
            x = add(
                "concat", .concat(relu: false), [first, pw2], channels: out, size: unit.outputSize, role: .combine,
                bands: .parts(parts), source: authors ? keys.module : nil)
            if !authors {
                x = add(
                    "shuffle", shuffle, [x], channels: out, size: unit.outputSize, role: .shuffle, bands: .groups(2),
                    source: keys.module)
            }
        }
        func head(_ label: String, _ role: StepRole) -> NodePlace { NodePlace(section: "head", label: label, role: role) }
        x = builder.add(
            "head.conv5", next(), [x], channels: configuration.widths[4], size: configuration.finalSize,
            source: configuration.lastConvolutionModule, place: head("conv5", .neck))
        x = builder.add(
            "head.pool", .globalAveragePool, [x], channels: configuration.widths[4], size: 1, place: head("pool", .pool))
        _ = builder.add(
            "head.fc", .linear(weights.classifier), [x], channels: configuration.classes, size: 1,
            source: configuration.classifierModule.split(separator: ".").first.map(String.init),
            parameters: spec.classifier.parameterCount, place: head("fc", .classifier))
        return builder.graph(inputSize: configuration.inputSize)
    }
}
