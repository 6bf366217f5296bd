import Testing
@testable import Inspector
import ShuffleEngine

/// Every view as monochrome text at 80×24, 120×40 and 200×60, compared with `Snapshots/*.txt`;
/// at every size and in every colour mode no number may be cut (`CellGrid.cuts`).
/// Re-record with `INSPECTOR_RECORD_SNAPSHOTS=1 swift test --filter SnapshotTests`.
@Suite struct SnapshotTests {
    struct Scene: CustomStringConvertible, Sendable {
        var name: String
        var step: String
        var keys: [Key]
        var description: String { name }
    }

    static let scenes: [Scene] = [
        Scene(name: "heatmap-stem", step: "stem.conv", keys: []),
        Scene(name: "heatmap-groups", step: "stage2.unit1.pw2", keys: []),
        Scene(name: "heatmap-signed-per-channel", step: "stage3.unit1.dw", keys: [.character("N"), .character("N")]),
        Scene(name: "heatmap-group-zoom", step: "stage2.unit2.pw1", keys: [.tab, .enter, .right]),
        Scene(name: "heatmap-channel-zoom", step: "stage2.unit2.pw1", keys: [.tab, .enter, .right, .enter, .right, .down, .down]),
        Scene(name: "vector-pool", step: "head.pool", keys: []),
        Scene(name: "vector-logits", step: "head.fc", keys: []),
        Scene(name: "shuffle", step: "stage3.unit1.shuffle", keys: [.character("2")]),
        Scene(name: "shuffle-origins", step: "stage3.unit1.dw", keys: [.character("2")]),
        Scene(name: "profile", step: "stage2.unit1.dw", keys: [.character("3")]),
        Scene(name: "profile-by-time", step: "stage2.unit1.dw", keys: [.character("3"), .character("o")]),
        Scene(name: "ablation", step: "head.fc", keys: [.character("a")]),
        Scene(name: "help", step: "stem.conv", keys: [.character("?")]),
        Scene(name: "search", step: "stem.conv", keys: [.character("/"), .character("s"), .character("h"), .character("u")]),
        Scene(name: "units-unfolded", step: "stage2.unit2.dw", keys: [.character("z")]),
        Scene(name: "profile-by-macs", step: "stage3.unit2.combine", keys: [.character("3"), .character("o"), .character("o")]),
        Scene(name: "heatmap-clipped-magma", step: "stage2.unit1.pw2", keys: [.character("N"), .character("N"), .character("N"), .character("m")]),
        Scene(name: "focus-channel", step: "stage2.unit2.pw1", keys: [.character("f"), .right, .down]),
        Scene(name: "focus-group-mean", step: "stage3.unit1.combine", keys: [.character("f"), .character("b")]),
        Scene(name: "focus-class-map", step: "stage3.unit2.combine", keys: [.character("f"), .character("C"), .character(">")]),
    ]

    @Test(arguments: scenes)
    func scene(_ scene: Scene) throws {
        for (width, height) in [(120, 40), (80, 24), (200, 60)] {
            let app = try Fixtures.application()
            let index = try #require(app.stepIndex(named: scene.step))
            _ = app.renderFrame(step: index, view: .heatmap, width: width, height: height, colorMode: .monochrome)
            for key in scene.keys { app.press(key) }
            expectSnapshot(app.text(width: width, height: height), named: "\(scene.name)-\(width)x\(height)")
            for mode in [ColorMode.monochrome, .palette256] {
                let cut = app.render(width: width, height: height, colorMode: mode).cuts.filter(\.splitsNumber)
                #expect(cut.isEmpty, "\(scene.name) at \(width)×\(height): numbers cut: \(cut.map { $0.kept + "|" + $0.dropped })")
            }
        }
    }

    @Test func tooSmall() throws {
        let app = try Fixtures.application()
        let text = (0...4).map { app.text(width: 20 - $0 * 4, height: 5 - $0) }.joined(separator: "\n----\n")
        expectSnapshot(text, named: "too-small")
    }
}
