@testable import ShuffleEngine

/// A ShuffleNet v1 graph with random weights (He-scaled so activations neither vanish nor
/// blow up through 16 units), built here so engine tests do not depend on the model module.
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
        var x = try builder.convolution("first_conv", .graphInput, inputs: 3, outputs: widths[0], kernel: 3, stride: 2, padding: 1, groups: 1, relu: true)
        x = try builder.add("maxpool", .maxPool(PoolWindow(kernelSize: 3, stride: 2, padding: 1)), [x])
        var channels = widths[0]
        for (stage, repeats) in [4, 8, 4].enumerated() {
            let out = widths[stage + 1]
            for unit in 0..<repeats {
                let name = "stage\(stage + 2).unit\(unit + 1)"
                let stride = unit == 0 ? 2 : 1
                let mid = out / 4
                let firstGroups = stage == 0 && unit == 0 ? 1 : groups
                var y = try builder.convolution("\(name).pw1", x, inputs: channels, outputs: mid, kernel: 1, stride: 1, padding: 0, groups: firstGroups, relu: true)
                y = try builder.add("\(name).shuffle", .channelShuffle(groups: groups, convention: convention), [y])
                y = try builder.convolution("\(name).dw", y, inputs: mid, outputs: mid, kernel: 3, stride: stride, padding: 1, groups: mid, relu: false)
                let branch = stride == 2 ? out - channels : out
                y = try builder.convolution("\(name).pw2", y, inputs: mid, outputs: branch, kernel: 1, stride: 1, padding: 0, groups: groups, relu: false)
                if stride == 2 {
                    let pooled = try builder.add("\(name).pool", .averagePool(PoolWindow(kernelSize: 3, stride: 2, padding: 1)), [x])
                    x = try builder.add("\(name).concat", .concat(relu: true), [pooled, y])
                } else {
                    x = try builder.add("\(name).add", .add(relu: true), [x, y])
                }
                channels = out
            }
        }
        x = try builder.add("gap", .globalAveragePool, [x])
        let scale = (3 / Float(channels)).squareRoot()
        let linear = Linear(
            inputFeatures: channels, outputFeatures: classes,
            weight: builder.random.floats(channels * classes).map { $0 * scale }, bias: [Float](repeating: 0, count: classes))
        x = try builder.add("classifier", .linear(linear), [x], multiplyAdds: channels * classes * batch)
        _ = try builder.add("softmax", .softmax, [x])
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

        mutating func add(_ name: String, _ op: Op, _ inputs: [NodeInput], multiplyAdds: Int = 0) throws -> NodeInput {
            let outputShape = try op.outputShape(for: inputs.map(shape(of:)))
            nodes.append(Node(name: name, op: op, inputs: inputs, outputShape: outputShape, multiplyAdds: multiplyAdds))
            return .node(nodes.count - 1)
        }

        mutating func convolution(
            _ name: String, _ x: NodeInput, inputs: Int, outputs: Int, kernel: Int, stride: Int, padding: Int,
            groups: Int, relu: Bool
        ) throws -> NodeInput {
            let fanIn = inputs / groups * kernel * kernel
            let scale = (6 / Float(fanIn)).squareRoot()
            let conv = Convolution(
                inputChannels: inputs, outputChannels: outputs, kernelSize: kernel, stride: stride, padding: padding,
                groups: groups, relu: relu, weight: random.floats(outputs * fanIn).map { $0 * scale },
                bias: random.floats(outputs).map { $0 * 0.1 })
            let op = Op.convolution(conv)
            let out = try op.outputShape(for: [shape(of: x)])
            return try add(name, op, [x], multiplyAdds: out.count * fanIn)
        }
    }
}
