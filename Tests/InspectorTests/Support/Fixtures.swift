@testable import Inspector
import ShuffleEngine

/// Builders shared by the inspector tests.
enum Fixtures {
    static let network = SyntheticNetwork.small

    /// Deterministic stand-in durations: grow with a step's multiply-adds, so frames do not
    /// depend on the machine's speed.
    static func fakeDuration(_ node: Node, pass: Int = 0) -> Double {
        (20 + Double(node.multiplyAdds) / 2_000 + Double(pass % 3)) * 1e-6
    }

    /// An application on the small network with fixed durations and a fixed profile.
    static func application(convention: ShuffleConvention = .authors, isTrained: Bool = false) throws -> InspectorApplication {
        let setup = network.setup(convention: convention, isTrained: isTrained)
        let app = try InspectorApplication(setup: setup)
        // Whole jumps per key, so tests see finished steps without ticking.
        app.session.stepBudget = nil
        let graph = app.session.normal.graph
        app.session.durationOverride = { index in fakeDuration(graph.nodes[index]) }
        let samples = (0..<5).map { pass in graph.nodes.map { fakeDuration($0, pass: pass) } }
        app.session.profileOverride = ProfileReport(graph: graph, samples: samples)
        return app
    }

    static func context(convention: ShuffleConvention = .authors, width: Int = 120, height: Int = 40) -> ReducerContext {
        ReducerContext(network: NetworkContext(graph: network.graph(convention: convention), groups: network.groups),
                       viewportWidth: width, viewportHeight: height)
    }

    static func index(_ name: String, in context: ReducerContext) -> Int {
        context.network.graph.index(named: name) ?? -1
    }

    /// A step inside a unit, as a builder places it.
    static func place(_ section: String, _ unit: String, _ label: String, bands: ChannelBands = .whole) -> NodePlace {
        NodePlace(section: section, unit: unit, label: label, bands: bands)
    }

    /// `bands` over `channels` channels, as the inspector's context lists them.
    static func bands(_ bands: ChannelBands, channels: Int) -> [ChannelBand] {
        bands.ranges(channels: channels).map { ChannelBand(name: $0.name, channels: $0.range) }
    }
}

extension InspectorApplication {
    /// Sends keys in order; returns the last response.
    @discardableResult
    func press(_ keys: Key...) -> ApplicationResponse {
        var last = ApplicationResponse.ignore
        for key in keys { last = handle(key) }
        return last
    }

    func text(width: Int = 120, height: Int = 40) -> String {
        render(width: width, height: height, colorMode: .monochrome).text
    }
}
