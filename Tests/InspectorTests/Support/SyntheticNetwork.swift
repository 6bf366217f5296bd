import Inspector
import ShuffleEngine

/// A ShuffleNet-v1-like graph with random batch-norm-folded weights, named and placed like the
/// real model (`stem.conv`, `stem.maxpool`, `stageS.unitU.pw1/.shuffle/.dw/.pw2/.shortcut/.combine`,
/// `head.pool`, `head.fc`, each with the section, unit, role and channel bands the v1 builder
/// gives it), for tests and manual trying without the model module.
struct SyntheticNetwork {
    var groups: Int
    /// `[stem, stage2, stage3, ...]` output channels.
    var widths: [Int]
    /// Units per stage (the first of each has stride 2).
    var repeats: [Int]
    var inputSize: Int
    var classes: Int
    var seed: UInt64 = 7
    /// Sparse weights in {−1, −½, 0, ½, 1}, biases in quarters, inputs in eighths, max-pool
    /// shortcuts and power-of-two global pools: every output is exact in float32 whatever order a
    /// kernel sums in, so text snapshots do not depend on how the kernels are written.
    var exact = false

    /// Small enough for fast debug-build tests: 3×64×64 → 12 → 48 (2 units) → 96 (2 units) → 10.
    static let small = SyntheticNetwork(groups: 3, widths: [12, 48, 96], repeats: [2, 2], inputSize: 64, classes: 10, exact: true)
    /// The 1.0× g=3 layout of the paper: 224², widths [24, 240, 480, 960], 4 + 8 + 4 units, 1000 classes.
    static let realistic = SyntheticNetwork(groups: 3, widths: [24, 240, 480, 960], repeats: [4, 8, 4], inputSize: 224, classes: 1000)

    var inputShape: Shape { Shape(n: 1, c: 3, h: inputSize, w: inputSize) }

    func input(seed: UInt64 = 3) -> Tensor {
        var random = SplitMix64(seed)
        // A smooth image plus noise, so maps have structure.
        var tensor = Tensor(zeros: inputShape)
        for c in 0..<3 {
            for y in 0..<inputSize {
                for x in 0..<inputSize {
                    let wave = Float(((x + 2 * y + 7 * c) % 23)) / 23 - 0.5
                    let value = wave + 0.3 * random.nextSigned()
                    tensor[0, c, y, x] = exact ? (value * 8).rounded() / 8 : value
                }
            }
        }
        return tensor
    }

    var labels: [String] { (0..<classes).map { "label\($0)" } }

    func setup(convention: ShuffleConvention = .authors, isTrained: Bool = false, profilePasses: Int = 3) -> InspectorSetup {
        InspectorSetup(
            modelDescription: "ShuffleNet v1 synthetic g=\(groups)", weightsDescription: isTrained ? "weights.safetensors" : "seeded (untrained)",
            isTrained: isTrained, inputDescription: "pattern \(inputSize)×\(inputSize)", groups: groups, convention: convention,
            input: input(), labels: labels, profilePasses: profilePasses,
            makeGraph: { convention in self.graph(convention: convention) })
    }

    func graph(convention: ShuffleConvention) -> Graph {
        var random = SplitMix64(seed)
        var nodes: [Node] = []
        var shape = inputShape
        func add(_ name: String, _ op: Op, _ inputs: [NodeInput], source: String? = nil, place: NodePlace) -> Int {
            let shapes = inputs.map { input -> Shape in
                if case .node(let i) = input { return nodes[i].outputShape }
                return inputShape
            }
            // The builder only makes well-formed graphs; a shape error here is a bug in this file.
            let out = (try? op.outputShape(for: shapes)) ?? shapes[0]
            var macs = 0, params = 0
            if case .convolution(let conv) = op {
                macs = out.count * (conv.inputChannels / conv.groups) * conv.kernelSize * conv.kernelSize
                params = conv.weight.count + 2 * conv.outputChannels
            }
            if case .linear(let linear) = op { macs = linear.weight.count; params = linear.weight.count }
            nodes.append(Node(
                name: name, op: op, inputs: inputs, outputShape: out, source: source, parameterCount: params,
                multiplyAdds: macs, place: place))
            shape = out
            return nodes.count - 1
        }
        func conv(_ inC: Int, _ outC: Int, k: Int, stride: Int, groups: Int, relu: Bool) -> Op {
            let fanIn = inC / groups * k * k
            let scale = (2 / Float(fanIn)).squareRoot()
            let weight = (0..<(outC * fanIn)).map { _ in exact ? exactWeight(&random) : random.nextSigned() * scale * 1.7 }
            let bias = (0..<outC).map { _ in exact ? (random.nextSigned() * 2).rounded() / 4 : random.nextSigned() * 0.2 }
            return .convolution(Convolution(
                inputChannels: inC, outputChannels: outC, kernelSize: k, stride: stride, padding: k / 2,
                groups: groups, relu: relu, weight: weight, bias: bias))
        }
        var last = add("stem.conv", conv(3, widths[0], k: 3, stride: 2, groups: 1, relu: true), [.graphInput], source: "first_conv",
                       place: NodePlace(section: "stem", label: "conv", role: .stem))
        last = add("stem.maxpool", .maxPool(PoolWindow(kernelSize: 3, stride: 2, padding: 1)), [.node(last)], source: "maxpool",
                   place: NodePlace(section: "stem", label: "maxpool", role: .stem))
        var feature = 0
        for (stage, repeatCount) in repeats.enumerated() {
            let out = widths[stage + 1]
            for unit in 0..<repeatCount {
                let prefix = "stage\(stage + 2).unit\(unit + 1)."
                let inC = shape.c
                let stride = unit == 0 ? 2 : 1
                let mid = out / 4
                let firstGroups = stage == 0 && unit == 0 ? 1 : groups
                let branchOut = stride == 2 ? out - inC : out
                let unitInput = last
                // Bands as the v1 builder gives them: a dense pw1 is one band, every other step
                // of the branch is in g groups, a shortcut keeps the bands of what it pools, a
                // stride-2 combine shows its two sources.
                let bandsInG = ChannelBands.groups(groups)
                func place(_ label: String, _ role: StepRole, _ bands: ChannelBands) -> NodePlace {
                    NodePlace(section: "stage\(stage + 2)", unit: "unit\(unit + 1)", label: label, role: role, bands: bands)
                }
                var b = add(prefix + "pw1", conv(inC, mid, k: 1, stride: 1, groups: firstGroups, relu: true), [.node(unitInput)],
                            place: place("pw1", .pointwise, firstGroups > 1 ? bandsInG : .whole))
                b = add(prefix + "shuffle", .channelShuffle(groups: groups, convention: convention), [.node(b)],
                        place: place("shuffle", .shuffle, bandsInG))
                b = add(prefix + "dw", conv(mid, mid, k: 3, stride: stride, groups: mid, relu: false), [.node(b)],
                        place: place("dw", .depthwise, bandsInG))
                b = add(prefix + "pw2", conv(mid, branchOut, k: 1, stride: 1, groups: groups, relu: false), [.node(b)],
                        place: place("pw2", .pointwise, bandsInG))
                if stride == 2 {
                    let window = PoolWindow(kernelSize: 3, stride: 2, padding: 1)
                    let s = add(prefix + "shortcut", exact ? .maxPool(window) : .averagePool(window), [.node(unitInput)],
                                place: place("shortcut", .shortcut, nodes[unitInput].place.bands))
                    let parts = ChannelBands.parts([
                        BandPart(name: "shortcut", channels: inC), BandPart(name: "branch", channels: branchOut),
                    ])
                    last = add(prefix + "combine", .concat(relu: true), [.node(s), .node(b)], source: "features.\(feature)",
                               place: place("combine", .combine, parts))
                } else {
                    last = add(prefix + "combine", .add(relu: true), [.node(unitInput), .node(b)], source: "features.\(feature)",
                               place: place("combine", .combine, bandsInG))
                }
                feature += 1
            }
        }
        last = add("head.pool", .globalAveragePool, [.node(last)], place: NodePlace(section: "head", label: "pool", role: .pool))
        let features = shape.c
        let weight = (0..<(classes * features)).map { _ in
            exact ? exactWeight(&random) : random.nextSigned() * (3 / Float(features)).squareRoot()
        }
        _ = add("head.fc", .linear(Linear(inputFeatures: features, outputFeatures: classes, weight: weight, bias: Array(repeating: 0, count: classes))),
                [.node(last)], source: "classifier", place: NodePlace(section: "head", label: "fc", role: .classifier))
        return Graph(inputShape: inputShape, nodes: nodes)
    }
}

/// 0 with probability 0.6, else ±½ or ±1.
private func exactWeight(_ random: inout SplitMix64) -> Float {
    let r = random.next() % 10
    switch r {
    case 0: return -1
    case 1: return 1
    case 2, 3: return -0.5
    case 4, 5: return 0.5
    default: return 0
    }
}

/// Seeded test weights from the engine's SplitMix64, so tests see the same weights every run.
extension SplitMix64 {
    init(_ seed: UInt64) { self.init(seed: seed) }
    /// Uniform in -1...1.
    mutating func nextSigned() -> Float { Float(next() >> 40) / Float(1 << 24) * 2 - 1 }
}
