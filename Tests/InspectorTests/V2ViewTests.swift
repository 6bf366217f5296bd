import ShuffleEngine
import ShuffleModel
import Testing
@testable import Inspector

/// The inspector on real ShuffleNet v2 graphs (seeded weights, a small input): banding by branch,
/// the g = 2 shuffle and the next split, the authors' even/odd split, and feature reuse.
@Suite struct V2ViewTests {
    static func model(_ layout: ShuffleNetV2Layout) throws -> ShuffleNetV2Model {
        try ShuffleNetV2Model.seeded(ShuffleNetV2Configuration(layout: layout, width: 0.5, inputSize: 64, classes: 10))
    }

    /// An application on a v2 model with machine-independent durations, as `Fixtures.application`.
    static func application(_ layout: ShuffleNetV2Layout) throws -> InspectorApplication {
        let model = try model(layout)
        let input = Tensor(shape: Shape(n: 1, c: 3, h: 64, w: 64), storage: (0..<(3 * 64 * 64)).map { Float($0 % 97) / 97 })
        let setup = InspectorSetup(
            modelDescription: model.name + " · 64×64", weightsDescription: model.weightsDescription, isTrained: false,
            inputDescription: "test pattern", groups: model.shuffleGroups, convention: model.shuffle, input: input,
            makeGraph: { convention in model.rebuilt(shuffle: convention).graph })
        let app = try InspectorApplication(setup: setup)
        app.session.stepBudget = nil
        let graph = app.session.normal.graph
        app.session.durationOverride = { index in Fixtures.fakeDuration(graph.nodes[index]) }
        let samples = (0..<5).map { pass in graph.nodes.map { Fixtures.fakeDuration($0, pass: pass) } }
        app.session.profileOverride = ProfileReport(graph: graph, samples: samples)
        return app
    }

    struct Scene: CustomStringConvertible, Sendable {
        var name: String
        var layout: ShuffleNetV2Layout
        var step: String
        var keys: [Key]
        var description: String { name }
    }

    static let scenes: [Scene] = [
        Scene(name: "v2-concat-bands", layout: .torchvision, step: "stage3.unit2.concat", keys: []),
        Scene(name: "v2-shuffle", layout: .torchvision, step: "stage3.unit2.shuffle", keys: [.character("2")]),
        Scene(name: "v2-authors-split", layout: .authors, step: "stage3.unit2.shuffle", keys: [.character("2")]),
        Scene(name: "v2-reuse", layout: .torchvision, step: "stage3.unit6.concat", keys: [.character("4")]),
        Scene(name: "v2-profile", layout: .authors, step: "stage2.unit2.split", keys: [.character("3")]),
    ]

    @Test(arguments: scenes)
    func scene(_ scene: Scene) throws {
        for (width, height) in [(120, 40), (80, 24)] {
            let app = try Self.application(scene.layout)
            let index = try #require(app.stepIndex(named: scene.step))
            _ = app.renderFrame(step: index, view: .heatmap, width: width, height: height, colorMode: .monochrome)
            for key in scene.keys { app.press(key) }
            expectSnapshot(app.text(width: width, height: height), named: "\(scene.name)-\(width)x\(height)")
        }
    }

    @Test func concatsAreBandedByBranchAndDenseTensorsAreOneBand() throws {
        let graph = try Self.model(.torchvision).graph
        let context = NetworkContext(graph: graph, groups: 2)
        let concat = try #require(graph.index(named: "stage3.unit2.concat"))
        #expect(context.layerBands[concat] == [
            ChannelBand(name: "pass", channels: 0..<48), ChannelBand(name: "branch2", channels: 48..<96),
        ])
        let pw1 = try #require(graph.index(named: "stage3.unit2.branch2.pw1"))
        #expect(context.layerBands[pw1] == [ChannelBand(name: "", channels: 0..<48)])
    }

    /// With the shuffle each half of the next split gets half its channels from each branch;
    /// without it the branch only ever sees its own previous output.
    @Test func theShuffleFeedsBothHalvesOfTheNextSplitFromBothBranches() throws {
        for layout in ShuffleNetV2Layout.allCases {
            let graph = try Self.model(layout).graph
            let context = NetworkContext(graph: graph, groups: 2)
            let shuffle = try #require(graph.index(named: "stage3.unit2.shuffle"))
            let with = context.splitMixing(after: shuffle, withShuffle: true)
            let without = context.splitMixing(after: shuffle, withShuffle: false)
            #expect(with.map(\.name) == ["pass", "split"], "\(layout)")
            #expect(with.map(\.counts) == [[24, 24], [24, 24]], "\(layout)")
            #expect(without.map(\.counts) == [[48, 0], [0, 48]], "\(layout)")
        }
    }

    /// Half of every stride-1 unit's channels pass through: after k stride-1 units the ages are
    /// 0 for half, 1 for a quarter, 2 for an eighth … (the v2 paper's Figure 4 decay).
    @Test func featureReuseHalvesWithEveryUnit() throws {
        let graph = try Self.model(.torchvision).graph
        let reuse = FeatureReuse(graph: graph)
        let first = try #require(graph.index(named: "stage3.unit1.shuffle"))
        #expect(reuse.ages(at: first) == Array(repeating: 0, count: 96))
        let fourth = try #require(graph.index(named: "stage3.unit4.shuffle"))
        let ages = try #require(reuse.ages(at: fourth))
        #expect(FeatureReuse.histogram(ages, maximum: 5) == [0.5, 0.25, 0.125, 0.125, 0, 0])
        // In v1 every unit recomputes every channel (the residual add).
        let v1 = try ShuffleNetModel.load(groups: 3, width: 0.5, inputSize: 64)
        let v1Reuse = FeatureReuse(graph: v1.graph)
        let combine = try #require(v1.graph.index(named: "stage3.unit4.combine"))
        #expect(v1Reuse.ages(at: combine)?.allSatisfy { $0 == 0 } == true)
    }
}
