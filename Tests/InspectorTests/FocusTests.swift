import Foundation
import Testing
@testable import Inspector
import ShuffleEngine

/// The focus view's mathematics against numpy (`scripts/make_focus_fixture.py`), its receptive
/// fields against hand-worked windows, and its keys.
@Suite struct FocusTests {
    struct Fixture: Decodable {
        struct Array3: Decodable { var shape: [Int]; var values: [Float] }
        struct Statistics: Decodable {
            var values: [Float]
            var min: Double, max: Double, mean: Double, p1: Double, median: Double, p99: Double
            var zero_fraction: Double
        }
        var features: Array3
        var weight: Array3
        var bias: [Float]
        var cams: [[Double]]
        var logits: [Double]
        var statistics: Statistics
    }

    static func fixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/focus.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    /// features → global average pool → linear, named and placed like a real head.
    static func headGraph(_ fixture: Fixture) -> Graph {
        let shape = fixture.features.shape
        let input = Shape(n: 1, c: shape[0], h: shape[1], w: shape[2])
        let linear = Linear(inputFeatures: shape[0], outputFeatures: fixture.weight.shape[0], weight: fixture.weight.values, bias: fixture.bias)
        return Graph(inputShape: input, nodes: [
            Node(name: "head.pool", op: .globalAveragePool, inputs: [.graphInput], outputShape: Shape(n: 1, c: shape[0], h: 1, w: 1),
                 place: NodePlace(section: "head", label: "pool", role: .pool)),
            Node(name: "head.fc", op: .linear(linear), inputs: [.node(0)], outputShape: Shape(n: 1, c: linear.outputFeatures, h: 1, w: 1),
                 place: NodePlace(section: "head", label: "fc", role: .classifier)),
        ])
    }

    @Test func classActivationMapsMatchNumpyAndGiveBackTheLogits() throws {
        let fixture = try Self.fixture()
        let graph = Self.headGraph(fixture)
        let shape = fixture.features.shape
        let features = Tensor(shape: Shape(n: 1, c: shape[0], h: shape[1], w: shape[2]), storage: fixture.features.values)
        let executor = try Executor(graph: graph, input: features)
        while !executor.isFinished { executor.step() }
        let logits = try #require(executor.outputs[1]).storage
        guard case .linear(let classifier) = graph.nodes[1].op else { Issue.record("no classifier"); return }
        // The head is found through the nodes' roles; here the features are the graph input, so
        // the map is built from the input tensor.
        #expect(ClassActivationMap.head(in: graph) == nil)
        for (k, expected) in fixture.cams.enumerated() {
            let map = try #require(ClassActivationMap(classifier: classifier, features: features, classIndex: k))
            #expect(map.width == shape[2] && map.height == shape[1])
            for (value, reference) in zip(map.values, expected) { #expect(abs(Double(value) - reference) < 1e-5) }
            #expect(abs(Double(map.mean + fixture.bias[k]) - fixture.logits[k]) < 1e-5)
            #expect(abs(Double(logits[k]) - fixture.logits[k]) < 1e-5)
        }
        #expect(ClassActivationMap(classifier: classifier, features: features, classIndex: 3) == nil)
    }

    @Test func headIsFoundBehindAPoolOfASpatialMap() throws {
        let graph = Fixtures.network.graph(convention: .authors)
        let head = try #require(ClassActivationMap.head(in: graph))
        #expect(graph.nodes[head.classifier].name == "head.fc")
        #expect(graph.nodes[head.pool].name == "head.pool")
        #expect(graph.nodes[head.features].name == "stage3.unit2.combine")
    }

    @Test func statisticsMatchNumpy() throws {
        let s = try Self.fixture().statistics
        let stats = ValueStatistics(s.values, bins: 10)
        #expect(stats.count == s.values.count)
        for (value, reference) in [(stats.minimum, s.min), (stats.maximum, s.max), (stats.mean, s.mean),
                                   (stats.percentile1, s.p1), (stats.median, s.median), (stats.percentile99, s.p99)] {
            #expect(abs(Double(value) - reference) < 1e-5, "\(value) vs \(reference)")
        }
        #expect(abs(Double(stats.zeroFraction) - s.zero_fraction) < 1e-6)
        #expect(stats.histogram.reduce(0, +) == s.values.count)
        // Hand-worked: 0…10 has its 1st and 99th percentiles at 0.1 and 9.9.
        let ramp = ValueStatistics((0...10).map(Float.init), bins: 5)
        #expect(abs(ramp.percentile1 - 0.1) < 1e-6 && abs(ramp.percentile99 - 9.9) < 1e-6 && ramp.median == 5)
        // Bins of width 2 from 0: [0, 2) [2, 4) [4, 6) [6, 8) [8, 10], the maximum in the last.
        #expect(ramp.histogram == [2, 2, 2, 2, 3])
    }

    @Test func receptiveFieldsFollowTheWindows() throws {
        let graph = Fixtures.network.graph(convention: .authors)
        func field(_ name: String, _ x: Int, _ y: Int) throws -> ReceptiveField? {
            ReceptiveField.of(node: try #require(graph.index(named: name)), x: x, y: y, in: graph)
        }
        // stem.conv: 3×3, stride 2, padding 1 on 64×64: cell (5, 0) sees rows −1…1 → 0…1, cols 9…11.
        #expect(try field("stem.conv", 5, 0) == ReceptiveField(rows: 0...1, columns: 9...11))
        // + max pool 3×3/2/1: conv cells 9…11 → input 17…23.
        #expect(try field("stem.maxpool", 5, 5) == ReceptiveField(rows: 17...23, columns: 17...23))
        // A 1×1 conv and a shuffle add nothing to the pool's field.
        #expect(try field("stage2.unit1.pw1", 5, 5) == field("stem.maxpool", 5, 5))
        #expect(try field("stage2.unit1.shuffle", 5, 5) == field("stem.maxpool", 5, 5))
        // The classifier sees everything.
        #expect(try field("head.fc", 0, 0) == ReceptiveField(rows: 0...63, columns: 0...63))
        #expect(ReceptiveField.of(node: 99, x: 0, y: 0, in: graph) == nil)
    }

    @Test func focusKeys() throws {
        let context = Fixtures.context()
        var state = InspectorState()
        state.current = Fixtures.index("stage2.unit2.pw1", in: context)
        _ = InspectorReducer.reduce(&state, key: .character("f"), context: context)
        #expect(state.focus && state.view == .heatmap)
        _ = InspectorReducer.reduce(&state, key: .right, context: context)
        _ = InspectorReducer.reduce(&state, key: .down, context: context)
        #expect(state.cursorX == 1 && state.cursorY == 1 && state.current == Fixtures.index("stage2.unit2.pw1", in: context))
        _ = InspectorReducer.reduce(&state, key: .tab, context: context)
        #expect(state.channel == 1)
        _ = InspectorReducer.reduce(&state, key: .character("b"), context: context)
        #expect(state.focusGroupMean)
        _ = InspectorReducer.reduce(&state, key: .character("C"), context: context)
        _ = InspectorReducer.reduce(&state, key: .character("<"), context: context)
        #expect(state.showsClassMap && state.classRank == FocusLimits.classChoices - 1)
        _ = InspectorReducer.reduce(&state, key: .escape, context: context)
        #expect(!state.focus)
        // No focus on a vector.
        state.current = Fixtures.index("head.pool", in: context)
        _ = InspectorReducer.reduce(&state, key: .character("f"), context: context)
        #expect(!state.focus && state.message != nil)
        // m cycles the maps, N reaches the clipped scale.
        _ = InspectorReducer.reduce(&state, key: .character("m"), context: context)
        #expect(state.colormap == .magma)
        for _ in 0..<3 { _ = InspectorReducer.reduce(&state, key: .character("N"), context: context) }
        #expect(state.normalization == .clipped)
    }

    @Test func classMapRunsTheNetworkToTheEndAndDrawsOverTheInput() throws {
        let app = try Fixtures.application()
        let index = try #require(app.stepIndex(named: "stage2.unit2.pw1"))
        let text = app.renderFrame(step: index, view: .heatmap, width: 120, height: 40, colorMode: .truecolor) { state in
            state.focus = true
            state.showsClassMap = true
        }.text
        #expect(app.session.normal.executor.isFinished)
        #expect(text.contains("class map #1: "))
        let picture = try #require(app.exportPicture(step: index, subject: .classMap(rank: 0)))
        #expect(picture.width == 64 && picture.height == 64 && picture.pixels.count == 64 * 64 * 3)
    }
}
