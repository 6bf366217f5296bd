import ShuffleEngine
import Testing

@testable import ShuffleModel

@Suite struct BuilderTests {
    @Test func stepNamesReadLikeThePaper() throws {
        let graph = ShuffleNetBuilder.graph(
            try NetworkFixtures.seededParameters(ShuffleNetConfiguration(groups: 3, width: 0.5)))
        let names = graph.nodes.map(\.name)
        #expect(
            Array(names.prefix(10)) == [
                "stem.conv", "stem.maxpool",
                "stage2.unit1.pw1", "stage2.unit1.shuffle", "stage2.unit1.dw", "stage2.unit1.pw2",
                "stage2.unit1.shortcut",
                "stage2.unit1.combine", "stage2.unit2.pw1", "stage2.unit2.shuffle",
            ])
        #expect(Array(names.suffix(3)) == ["stage4.unit4.combine", "head.pool", "head.fc"])
        // 2 stem steps, 3 stride-2 units of 6 steps, 13 stride-1 units of 5, 2 head steps.
        #expect(names.count == 2 + 3 * 6 + 13 * 5 + 2)
        #expect(Set(names).count == names.count)
        #expect(graph.index(named: "stage3.unit8.combine") != nil)
        #expect(graph.index(named: "stage3.unit9.combine") == nil)
    }

    @Test func sourcesNameTheAuthorsModules() throws {
        let graph = ShuffleNetBuilder.graph(
            try NetworkFixtures.seededParameters(ShuffleNetConfiguration(groups: 8, width: 0.25)))
        let sourced = graph.nodes.filter { $0.source != nil }
        #expect(
            sourced.map { $0.source ?? "" } == ["first_conv", "maxpool"] + (0..<16).map { "features.\($0)" } + [
                "classifier"
            ])
        #expect(sourced.map(\.name).dropFirst(2).prefix(2) == ["stage2.unit1.combine", "stage2.unit2.combine"])
    }

    /// Every node's place agrees with its name, carries the step's role, and bands its channels
    /// as the inspector shows them.
    @Test func placesGiveSectionsUnitsRolesAndBands() throws {
        let configuration = try ShuffleNetConfiguration(groups: 3, width: 0.5)
        let graph = ShuffleNetBuilder.graph(try NetworkFixtures.seededParameters(configuration))
        let roles: [String: StepRole] = [
            "pw1": .pointwise, "shuffle": .shuffle, "dw": .depthwise, "pw2": .pointwise, "shortcut": .shortcut,
            "combine": .combine, "conv": .stem, "maxpool": .stem, "pool": .pool, "fc": .classifier,
        ]
        for node in graph.nodes {
            let parts = node.name.split(separator: ".").map(String.init)
            let place = node.place
            if parts.count == 3 {
                #expect([place.section, place.unit, place.label] == [parts[0], parts[1], parts[2]], "\(node.name)")
            } else {
                #expect(place.section == parts[0] && place.unit == nil && place.label == parts[1], "\(node.name)")
            }
            #expect((place.unit != nil) == node.name.hasPrefix("stage"), "\(node.name)")
            #expect(place.role == roles[place.label], "\(node.name)")
        }
        func bands(_ name: String) throws -> ChannelBands { try #require(graph.index(named: name).map { graph.nodes[$0].place.bands }) }
        let widths = configuration.widths
        // Stage 2's first pw1 is dense (one band); every other pw1, the shuffles, dw and pw2 are in g groups.
        #expect(try bands("stage2.unit1.pw1") == .whole)
        for name in ["stage2.unit2.pw1", "stage2.unit1.shuffle", "stage2.unit1.dw", "stage2.unit1.pw2", "stage3.unit1.pw1"] {
            #expect(try bands(name) == .groups(3), "\(name)")
        }
        // A shortcut keeps the bands of what it pools: the stem's one band, then a 3-group add.
        #expect(try bands("stage2.unit1.shortcut") == .whole)
        #expect(try bands("stage3.unit1.shortcut") == .groups(3))
        // Stride-2 combines are banded by source, residual adds by the g groups.
        #expect(
            try bands("stage2.unit1.combine")
                == .parts([BandPart(name: "shortcut", channels: widths[0]), BandPart(name: "branch", channels: widths[1] - widths[0])]))
        #expect(
            try bands("stage4.unit1.combine")
                == .parts([BandPart(name: "shortcut", channels: widths[2]), BandPart(name: "branch", channels: widths[3] - widths[2])]))
        #expect(try bands("stage3.unit2.combine") == .groups(3))
        for name in ["stem.conv", "stem.maxpool", "head.pool", "head.fc"] { #expect(try bands(name) == .whole, "\(name)") }
    }

    /// Bands as channel ranges: equal groups, named parts, and what happens when they do not fit.
    @Test func bandsAsChannelRanges() {
        func ranges(_ bands: ChannelBands, _ channels: Int) -> [String] {
            bands.ranges(channels: channels).map { "\($0.name):\($0.range.lowerBound)-\($0.range.upperBound)" }
        }
        #expect(ranges(.whole, 12) == [":0-12"])
        #expect(ranges(.groups(3), 12) == ["g1:0-4", "g2:4-8", "g3:8-12"])
        // Groups that do not divide the channels fall back to one band.
        #expect(ranges(.groups(5), 12) == [":0-12"])
        let parts = ChannelBands.parts([BandPart(name: "shortcut", channels: 4), BandPart(name: "branch", channels: 8)])
        #expect(ranges(parts, 12) == ["shortcut:0-4", "branch:4-12"])
        // Parts short of the channels leave an unnamed tail; parts past them are cut at the end.
        #expect(ranges(parts, 14) == ["shortcut:0-4", "branch:4-12", ":12-14"])
        #expect(ranges(parts, 10) == ["shortcut:0-4", "branch:4-10"])
        #expect(parts.ranges(channels: 14).count == 3 && ChannelBands.groups(3).ranges(channels: 12).count == 3)
    }

    @Test func opKindsPerStep() throws {
        let graph = ShuffleNetBuilder.graph(
            try NetworkFixtures.seededParameters(ShuffleNetConfiguration(groups: 2, width: 0.25)))
        func kind(_ name: String) -> String? { graph.index(named: name).map { graph.nodes[$0].op.kind } }
        #expect(kind("stem.conv") == "conv3x3")
        #expect(kind("stem.maxpool") == "maxpool")
        #expect(kind("stage2.unit1.pw1") == "conv1x1")  // stage 2's first pw1 is not grouped
        #expect(kind("stage2.unit2.pw1") == "gconv1x1")
        #expect(kind("stage2.unit2.shuffle") == "shuffle")
        #expect(kind("stage3.unit1.dw") == "dwconv3x3")
        #expect(kind("stage3.unit1.pw2") == "gconv1x1")
        #expect(kind("stage3.unit1.shortcut") == "avgpool")
        #expect(kind("stage3.unit1.combine") == "concat")
        #expect(kind("stage3.unit2.combine") == "add")
        #expect(kind("head.pool") == "gap")
        #expect(kind("head.fc") == "linear")
    }

    /// The graph's per-node counts must add up to the reference totals.
    @Test(arguments: [(3, 1.0, 136_500_672, 1_864_728), (8, 0.5, 39_701_760, 1_010_448)])
    func nodeCountsAddUpToTheReference(groups: Int, width: Double, convMultiplyAdds: Int, parameters: Int) throws {
        let configuration = try ShuffleNetConfiguration(groups: groups, width: width)
        let graph = ShuffleNetBuilder.graph(try NetworkFixtures.seededParameters(configuration))
        let convolutions = graph.nodes.filter { if case .convolution = $0.op { return true } else { return false } }
        #expect(convolutions.reduce(0) { $0 + $1.multiplyAdds } == convMultiplyAdds)
        #expect(graph.totalParameters == parameters)
        #expect(graph.totalMultiplyAdds == convMultiplyAdds + configuration.widths[3] * 1000)
    }

    @Test func nodeCountsMatchTheConfigurationEverywhere() throws {
        for groups in ShuffleNetConfiguration.supportedGroups {
            for width in [0.25, 0.5] {
                let configuration = try ShuffleNetConfiguration(
                    groups: groups, width: width, inputSize: 96, classes: 10)
                let graph = ShuffleNetBuilder.graph(try NetworkFixtures.seededParameters(configuration))
                #expect(graph.totalParameters == configuration.parameterCount, "g=\(groups) \(width)×")
                #expect(
                    graph.totalMultiplyAdds == configuration.convolutionMultiplyAdds
                        + configuration.classifierMultiplyAdds,
                    "g=\(groups) \(width)×")
                let zeroCost = graph.nodes.filter { $0.multiplyAdds == 0 }.map { $0.op.kind }
                #expect(Set(zeroCost) == ["maxpool", "shuffle", "avgpool", "add", "concat", "gap"])
            }
        }
    }

    /// The builder computes shapes by arithmetic; the engine's shape rules must agree.
    @Test(arguments: [(3, 0.5, 224, 1), (1, 0.25, 17, 1), (4, 0.25, 225, 2), (8, 0.25, 100, 3)])
    func shapesAgreeWithTheEngine(groups: Int, width: Double, inputSize: Int, batch: Int) throws {
        let configuration = try ShuffleNetConfiguration(groups: groups, width: width, inputSize: PlaneSize(inputSize), classes: 7)
        let graph = try ShuffleNetBuilder.graph(try NetworkFixtures.seededParameters(configuration), batchSize: batch)
        #expect(graph.inputShape == Shape(n: batch, c: 3, h: inputSize, w: inputSize))
        for node in graph.nodes {
            let inputs = node.inputs.map { input -> Shape in
                switch input {
                case .graphInput: return graph.inputShape
                case .node(let index): return graph.nodes[index].outputShape
                }
            }
            #expect(try node.op.outputShape(for: inputs) == node.outputShape, "\(node.name)")
        }
        #expect(graph.nodes.last?.outputShape == Shape(n: batch, c: 7, h: 1, w: 1))
    }

    @Test func batchScalesMultiplyAddsButNotParameters() throws {
        let parameters = try NetworkFixtures.seededParameters(ShuffleNetConfiguration(groups: 3, width: 0.5))
        let single = ShuffleNetBuilder.graph(parameters)
        let triple = try ShuffleNetBuilder.graph(parameters, batchSize: 3)
        #expect(triple.totalMultiplyAdds == 3 * single.totalMultiplyAdds)
        #expect(triple.totalParameters == single.totalParameters)
        #expect(throws: ConfigurationError.invalidBatchSize(0)) {
            try ShuffleNetBuilder.graph(parameters, batchSize: 0)
        }
    }

    @Test func everyUnitHasAShuffleStepEvenWithOneGroup() throws {
        let graph = ShuffleNetBuilder.graph(
            try NetworkFixtures.seededParameters(ShuffleNetConfiguration(groups: 1, width: 0.25)), shuffle: .paper)
        let shuffles = graph.nodes.filter { $0.name.hasSuffix(".shuffle") }
        #expect(shuffles.count == 16)
        #expect(shuffles.allSatisfy { $0.op == .channelShuffle(groups: 1, convention: .paper) })
    }

    @Test func permutingForTheShuffleMovesWholeChannels() {
        // Six 1-weight channels, weight c and bias 10 + c; paper order for g = 2 is [0,3,1,4,2,5].
        let conv = Convolution(
            inputChannels: 6, outputChannels: 6, kernelSize: 1, stride: 1, padding: 0, groups: 6, relu: false,
            weight: [0, 1, 2, 3, 4, 5], bias: [10, 11, 12, 13, 14, 15])
        let paper = ShuffleNetBuilder.permutedForShuffle(conv, groups: 2, convention: .paper)
        #expect(paper.weight == [0, 3, 1, 4, 2, 5])
        #expect(paper.bias == [10, 13, 11, 14, 12, 15])
        let authors = ShuffleNetBuilder.permutedForShuffle(conv, groups: 2, convention: .authors)
        #expect(authors.weight == [0, 2, 4, 1, 3, 5])
        #expect(ShuffleNetBuilder.permutedForShuffle(conv, groups: 2, convention: .disabled) == conv)
    }
}
