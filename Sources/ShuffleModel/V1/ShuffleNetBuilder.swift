import ShuffleEngine

/// Turns folded parameters into an engine graph whose steps read like the paper:
///
/// ```
/// stem.conv           conv 3×3/2 + BN + ReLU                     (first_conv)
/// stem.maxpool        max pool 3×3/2, pad 1                      (maxpool)
/// stageS.unitU.pw1    1×1 group conv + BN + ReLU
/// stageS.unitU.shuffle  channel shuffle of g groups
/// stageS.unitU.dw     3×3 depthwise conv + BN (no ReLU), stride 2 in a stage's first unit
/// stageS.unitU.pw2    1×1 group conv + BN
/// stageS.unitU.shortcut  avg pool 3×3/2, pad 1 (stride-2 units only)
/// stageS.unitU.combine   ReLU(x + branch) or ReLU(concat(shortcut, branch))   (features.N)
/// head.pool           global average pool
/// head.fc             linear                                      (classifier)
/// ```
/// S is 2…4, U counts from 1 within a stage, N = 0…15 over all units.
///
/// Every unit has a shuffle step, also with g = 1 (where it is the identity) and with the
/// shuffle disabled, so all configurations share one list of step names.
///
/// The authors' code shuffles after the depthwise conv, the paper before it. Depthwise conv and
/// BN act per channel, so the orders agree when the depthwise channels are permuted like the
/// shuffle: our dw channel `j` uses the authors' channel `shuffleSource(j)`. The builder does
/// that permutation, so the graph shows the paper's order and computes the authors' function.
public enum ShuffleNetBuilder {
    /// The graph for one image in `shuffle` (default: the configuration's convention).
    public static func graph(_ parameters: ShuffleNetParameters, shuffle: ShuffleConvention? = nil) -> Graph {
        build(parameters, shuffle: shuffle ?? parameters.configuration.shuffle, batchSize: 1)
    }

    /// The graph for a batch of `batchSize` images.
    public static func graph(
        _ parameters: ShuffleNetParameters, shuffle: ShuffleConvention? = nil, batchSize: Int
    ) throws(ConfigurationError) -> Graph {
        guard batchSize >= 1 else { throw .invalidBatchSize(batchSize) }
        return build(parameters, shuffle: shuffle ?? parameters.configuration.shuffle, batchSize: batchSize)
    }

    /// `conv` with its output channels reordered so that channel `j` is the one the shuffle
    /// moves to position `j`. Used for the depthwise conv: `[mid, 1, 3, 3]` weight, `[mid]` bias.
    public static func permutedForShuffle(_ conv: Convolution, groups: Int, convention: ShuffleConvention)
        -> Convolution
    {
        var result = conv
        let channels = conv.outputChannels
        let perChannel = conv.weight.count / max(channels, 1)
        // Permuted in a copy and assigned once: each assignment of `weight` repacks it.
        var weight = conv.weight
        for channel in 0..<channels {
            let source = Reference.shuffleSource(
                of: channel, channels: channels, groups: groups, convention: convention)
            for offset in 0..<perChannel {
                weight[channel * perChannel + offset] = conv.weight[source * perChannel + offset]
            }
            result.bias[channel] = conv.bias[source]
        }
        result.weight = weight
        return result
    }

    private static func build(_ parameters: ShuffleNetParameters, shuffle: ShuffleConvention, batchSize: Int) -> Graph {
        let configuration = parameters.configuration
        let size = configuration.inputSize
        var nodes: [Node] = []
        /// Appends a node and returns where later nodes read it.
        func add(
            _ name: String, _ op: Op, _ inputs: [NodeInput], _ shape: Shape, source: String? = nil, place: NodePlace
        ) -> NodeInput {
            nodes.append(
                Node(
                    name: name, op: op, inputs: inputs, outputShape: shape, source: source,
                    parameterCount: GraphBuilder.parameterCount(op), multiplyAdds: GraphBuilder.multiplyAdds(op, output: shape),
                    place: place))
            return .node(nodes.count - 1)
        }
        /// Bands of each node's output, so a shortcut keeps those of the tensor it pools.
        func bands(of input: NodeInput) -> ChannelBands {
            if case .node(let index) = input { return nodes[index].place.bands }
            return .whole
        }
        func shape(_ channels: Int, _ size: PlaneSize) -> Shape {
            Shape(n: batchSize, c: channels, h: size.height, w: size.width)
        }

        let stem = parameters.stem
        var x = add(
            "stem.conv", .convolution(stem), [.graphInput], shape(stem.outputChannels, configuration.stemSize),
            source: "first_conv", place: NodePlace(section: "stem", label: "conv", role: .stem))
        x = add(
            "stem.maxpool", .maxPool(PoolWindow(kernelSize: 3, stride: 2, padding: 1)), [x],
            shape(stem.outputChannels, configuration.poolSize), source: "maxpool",
            place: NodePlace(section: "stem", label: "maxpool", role: .stem))
        for unit in parameters.units {
            let layout = unit.layout
            let name = layout.name
            let mid = layout.bottleneckChannels
            let groups = ChannelBands.groups(layout.groups)
            func place(_ label: String, _ role: StepRole, _ bands: ChannelBands) -> NodePlace {
                NodePlace(section: "stage\(layout.stage)", unit: "unit\(layout.index)", label: label, role: role, bands: bands)
            }
            let pw1 = add(
                "\(name).pw1", .convolution(unit.pointwise1), [x], shape(mid, layout.inputSize),
                place: place("pw1", .pointwise, layout.pointwise1Groups > 1 ? groups : .whole))
            // The shuffle's output is read in g groups by the depthwise conv and pw2 after it.
            let shuffled = add(
                "\(name).shuffle", .channelShuffle(groups: layout.groups, convention: shuffle), [pw1],
                shape(mid, layout.inputSize), place: place("shuffle", .shuffle, groups))
            let depthwise = permutedForShuffle(unit.depthwise, groups: layout.groups, convention: shuffle)
            let dw = add(
                "\(name).dw", .convolution(depthwise), [shuffled], shape(mid, layout.outputSize),
                place: place("dw", .depthwise, groups))
            let pw2 = add(
                "\(name).pw2", .convolution(unit.pointwise2), [dw],
                shape(layout.branchOutputChannels, layout.outputSize), place: place("pw2", .pointwise, groups))
            let combined = shape(layout.outputChannels, layout.outputSize)
            if layout.stride == 2 {
                let shortcut = add(
                    "\(name).shortcut", .averagePool(PoolWindow(kernelSize: 3, stride: 2, padding: 1)), [x],
                    shape(layout.inputChannels, layout.outputSize), place: place("shortcut", .shortcut, bands(of: x)))
                let parts = ChannelBands.parts([
                    BandPart(name: "shortcut", channels: layout.inputChannels),
                    BandPart(name: "branch", channels: layout.branchOutputChannels),
                ])
                x = add(
                    "\(name).combine", .concat(relu: true), [shortcut, pw2], combined, source: layout.source,
                    place: place("combine", .combine, parts))
            } else {
                x = add(
                    "\(name).combine", .add(relu: true), [x, pw2], combined, source: layout.source,
                    place: place("combine", .combine, groups))
            }
        }
        x = add(
            "head.pool", .globalAveragePool, [x], shape(configuration.widths[3], 1),
            place: NodePlace(section: "head", label: "pool", role: .pool))
        _ = add(
            "head.fc", .linear(parameters.classifier), [x], shape(configuration.classes, 1), source: "classifier",
            place: NodePlace(section: "head", label: "fc", role: .classifier))
        return Graph(inputShape: shape(3, size), nodes: nodes)
    }
}
