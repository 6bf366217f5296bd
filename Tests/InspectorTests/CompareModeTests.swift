import ShuffleEngine
import Testing

@testable import Inspector

/// Compare mode: `d` sets side B beside the run (by default the network without shuffles, the
/// ablation as one case), tints the step list, names the first divergent step, draws A, B and
/// A − B and per-group bars; `e` jumps to where the error grows.
@Suite struct CompareModeTests {
    /// The small synthetic network with B = A's own outputs, every step from `name` on shifted by 0.5.
    static func perturbedApplication(from name: String) throws -> InspectorApplication {
        var setup = Fixtures.network.setup()
        let graph = Fixtures.network.graph(convention: .authors)
        let input = setup.input
        setup.comparison = ComparisonSource(label: "perturbed") {
            let executor = try Executor(graph: graph, input: input)
            executor.runToEnd()
            let start = graph.index(named: name) ?? 0
            var outputs: [String: Tensor] = [:]
            for (index, node) in graph.nodes.enumerated() {
                guard var output = executor.outputs[index] else { continue }
                if index >= start { output.storage = output.storage.map { $0 + 0.5 } }
                outputs[node.name] = output
            }
            return outputs
        }
        let app = try InspectorApplication(setup: setup)
        app.session.stepBudget = nil
        app.session.durationOverride = { index in Fixtures.fakeDuration(graph.nodes[index]) }
        return app
    }

    @Test func ablationIsTheDefaultComparison() throws {
        let app = try Fixtures.application()
        app.press(.character("d"))
        #expect(app.state.compare && app.state.view == .heatmap)
        let text = app.text()
        #expect(text.contains("B: without shuffle (ablation)"))
        let data = try #require(app.session.comparison)
        // Everything before the first shuffle is identical; the first shuffle diverges.
        let first = try #require(data.firstDivergent)
        #expect(app.session.normal.graph.nodes[first].op.kind == "shuffle")
        #expect(data.metrics[..<first].allSatisfy { $0?.maxAbs == 0 })
        #expect(text.contains("first divergent: \(app.session.normal.graph.nodes[first].name)"))
        expectSnapshot(text, named: "compare-ablation-120x40")
        app.press(.character("d"))
        #expect(!app.state.compare && !app.text().contains("first divergent"))
    }

    @Test func perturbedStepIsFoundAndJumpedTo() throws {
        let app = try Self.perturbedApplication(from: "stage3.unit1.pw1")
        app.press(.character("d"))
        let data = try #require(app.session.comparison)
        let target = try #require(app.session.normal.graph.index(named: "stage3.unit1.pw1"))
        #expect(data.firstDivergent == target)
        app.press(.character("e"))
        #expect(app.state.current == target)
        let text = app.text()
        #expect(text.contains("first divergent: stage3.unit1.pw1 (step \(target + 1))"))
        #expect(text.contains("stage3.unit1.pw1: max|Δ| 5.00e-01"))
        #expect(text.contains("A − B ±0.5"))
        #expect(text.split(separator: "\n")[1].contains("first divergent vs B: stage3.unit1.pw1"), "the header names it")
        expectSnapshot(text, named: "compare-perturbed-120x40")
        expectSnapshot(app.text(width: 80, height: 24), named: "compare-perturbed-80x24")
        // A grouped step shows one bar per group.
        app.press(.character("n"), .character("n"))
        let grouped = app.text()
        #expect(["g1", "g2", "g3"].allSatisfy { grouped.contains("!" + $0) }, "\(grouped)")
    }

    @Test func compareKeysOutsideCompareModeExplainThemselves() throws {
        let app = try Fixtures.application()
        app.press(.character("e"))
        #expect(app.state.message == "e works in compare mode (d)")
        app.press(.character("3"), .character("d"))
        #expect(app.state.view == .heatmap)
    }

    /// The reducer alone: `d` toggles and opens the heatmap view; `e` jumps by the context's errors.
    @Test func reducerTogglesAndJumps() {
        var context = Fixtures.context()
        var state = InspectorState()
        state.view = .profile
        #expect(InspectorReducer.reduce(&state, key: .character("d"), context: context) == .redraw)
        #expect(state.compare && state.view == .heatmap)
        _ = InspectorReducer.reduce(&state, key: .character("e"), context: context)
        #expect(state.message == "the comparison is still running" && state.current == 0)
        context.relativeErrors = context.network.graph.nodes.indices.map { $0 < 5 ? 0 : 0.5 }
        _ = InspectorReducer.reduce(&state, key: .character("e"), context: context)
        #expect(state.current == 5)
        _ = InspectorReducer.reduce(&state, key: .character("e"), context: context)
        #expect(state.current == 5 && state.message?.hasPrefix("no later step") == true)
        _ = InspectorReducer.reduce(&state, key: .character("d"), context: context)
        #expect(!state.compare)
    }

    @Test func growthJumpSkipsUnmatchedStepsAndSmallGrowth() {
        let errors: [Double?] = [0, 0, nil, 1e-6, 2e-6, 5e-5, 1e-3, nil, 2e-3]
        // From 0: 1e-6 is not over the tolerance after zeros; 5e-5 < 10 × 2e-6? No: 5e-5 > 2e-5, so step 5.
        #expect(ComparisonData.nextGrowth(after: 0, errors: errors) == 5)
        #expect(ComparisonData.nextGrowth(after: 5, errors: errors) == 6)
        #expect(ComparisonData.nextGrowth(after: 6, errors: errors) == nil)
        #expect(ComparisonData.nextGrowth(after: 0, errors: [0, 0, 1e-3]) == 2)
        #expect(ComparisonData.nextGrowth(after: 0, errors: [0, 0, 1e-5]) == nil)
    }
}
