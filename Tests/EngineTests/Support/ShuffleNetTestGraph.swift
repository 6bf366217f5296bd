@testable import ShuffleEngine

/// A ShuffleNet v1 graph with random weights (He-scaled so activations neither vanish nor
/// blow up through 16 units), built here so engine tests do not depend on the model module.
/// Its nodes carry places (section, unit, role, channel bands) like the v1 builder's.
struct ShuffleNetTestGraph {
    var groups = 3
    /// `[conv1, stage2, stage3, stage4]` output channels.
    var widths = [24, 240, 480, 960]
    var resolution = 224
    var batch = 1
    var classes = 1000
    var convention = ShuffleConvention.authors
    var seed: UInt64 = 1

    func build() throws -> Graph {
        var builder = Builder(input: Shape(n: batch, c: 3, h: resolution, w: resolution), random: SeededRandom(seed: seed))
        var x = try builder.convolution(
            "first_conv", .graphInput, inputs: 3, outputs: widths[0], kernel: 3, stride: 2, padding: 1, groups: 1, relu: true,
            place: NodePlace(section: "stem", label: "conv", role: .stem))
        x = try builder.add(
            "maxpool", .maxPool(PoolWindow(kernelSize: 3, stride: 2, padding: 1)), [x],
            place: NodePlace(section: "stem", label: "maxpool", role: .stem))
        var channels = widths[0]
        for (stage, repeats) in [4, 8, 4].enumerated() {
            let out = widths[stage + 1]
            for unit in 0..<repeats {
                let name = "stage\(stage + 2).unit\(unit + 1)"
                let stride = unit == 0 ? 2 : 1
                let mid = out / 4
                let firstGroups = stage == 0 && unit == 0 ? 1 : groups
                let inG = ChannelBands.groups(groups)
                func place(_ label: String, _ role: StepRole, _ bands: ChannelBands) -> NodePlace {
                    NodePlace(section: "stage\(stage + 2)", unit: "unit\(unit + 1)", label: label, role: role, bands: bands)
                }
                var y = try builder.convolution(
                    "\(name).pw1", x, inputs: channels, outputs: mid, kernel: 1, stride: 1, padding: 0, groups: firstGroups, relu: true,
                    place: place("pw1", .pointwise, firstGroups > 1 ? inG : .whole))
                y = try builder.add(
                    "\(name).shuffle", .channelShuffle(groups: groups, convention: convention), [y], place: place("shuffle", .shuffle, inG))
                y = try builder.convolution(
                    "\(name).dw", y, inputs: mid, outputs: mid, kernel: 3, stride: stride, padding: 1, groups: mid, relu: false,
                    place: place("dw", .depthwise, inG))
                let branch = stride == 2 ? out - channels : out
                y = try builder.convolution(
                    "\(name).pw2", y, inputs: mid, outputs: branch, kernel: 1, stride: 1, padding: 0, groups: groups, relu: false,
                    place: place("pw2", .pointwise, inG))
                if stride == 2 {
                    let pooled = try builder.add(
                        "\(name).pool", .averagePool(PoolWindow(kernelSize: 3, stride: 2, padding: 1)), [x],
                        place: place("shortcut", .shortcut, builder.bands(of: x)))
                    let parts = ChannelBands.parts([
                        BandPart(name: "shortcut", channels: channels), BandPart(name: "branch", channels: branch),
                    ])
                    x = try builder.add("\(name).concat", .concat(relu: true), [pooled, y], place: place("combine", .combine, parts))
                } else {
                    x = try builder.add("\(name).add", .add(relu: true), [x, y], place: place("combine", .combine, inG))
                }
                channels = out
            }
        }
        x = try builder.add("gap", .globalAveragePool, [x], place: NodePlace(section: "head", label: "pool", role: .pool))
        let scale = (3 / Float(channels)).squareRoot()
        let linear = Linear(
            inputFeatures: channels, outputFeatures: classes,
            weight: builder.random.floats(channels * classes).map { $0 * scale }, bias: [Float](repeating: 0, count: classes))
        x = try builder.add(
            "classifier", .linear(linear), [x], multiplyAdds: channels * classes * batch,
            place: NodePlace(section: "head", label: "fc", role: .classifier))
        _ = try builder.add("softmax", .softmax, [x], place: NodePlace(section: "head", label: "softmax"))
        return Graph(inputShape: builder.input, nodes: builder.nodes)
    }

    private struct Builder {
        var input: Shape
        var random: SeededRandom
        var nodes: [Node] = []

        init(input: Shape, random: SeededRandom) {
            self.input = input
            self.random = random
        }

        func shape(of input: NodeInput) -> Shape {
            switch input {
            case .graphInput: return self.input
            case .node(let index): return nodes[index].outputShape
            }
        }

        /// Bands of the tensor `input` reads, so a shortcut keeps those of what it pools.
        func bands(of input: NodeInput) -> ChannelBands {
            if case .node(let index) = input { return nodes[index].place.bands }
            return .whole
        }

        mutating func add(_ name: String, _ op: Op, _ inputs: [NodeInput], multiplyAdds: Int = 0, place: NodePlace) throws -> NodeInput {
            let outputShape = try op.outputShape(for: inputs.map(shape(of:)))
            nodes.append(Node(name: name, op: op, inputs: inputs, outputShape: outputShape, multiplyAdds: multiplyAdds, place: place))
            return .node(nodes.count - 1)
        }

        mutating func convolution(
            _ name: String, _ x: NodeInput, inputs: Int, outputs: Int, kernel: Int, stride: Int, padding: Int,
            groups: Int, relu: Bool, place: NodePlace
        ) throws -> NodeInput {
            let fanIn = inputs / groups * kernel * kernel
            let scale = (6 / Float(fanIn)).squareRoot()
            let conv = Convolution(
                inputChannels: inputs, outputChannels: outputs, kernelSize: kernel, stride: stride, padding: padding,
                groups: groups, relu: relu, weight: random.floats(outputs * fanIn).map { $0 * scale },
                bias: random.floats(outputs).map { $0 * 0.1 })
            let op = Op.convolution(conv)
            let out = try op.outputShape(for: [shape(of: x)])
            return try add(name, op, [x], multiplyAdds: out.count * fanIn, place: place)
        }
    }
}
