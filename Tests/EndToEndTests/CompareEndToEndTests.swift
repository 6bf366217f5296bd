import Foundation
import Testing

/// Compare mode in a real terminal (tmux): a checkpoint against itself under the other shuffle
/// convention, toggled with `d`, `e` to the first jump in error, `d` again back to the heatmaps.
@Suite struct CompareEndToEndTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ModelTests/Fixtures")

    @Test func togglesCompareModeAgainstTheOtherConvention() throws {
        let arguments = [
            "--weights", Self.fixtures.appendingPathComponent("g3_reduced.safetensors").path,
            "--input", Self.fixtures.appendingPathComponent("g3_reduced.input.npy").path,
            "--compare-shuffle", "paper", "--profile-passes", "2",
        ]
        let tmux = try TmuxSession(arguments: ShufflescopeBinary.wrapped(arguments, environment: []), width: 160, height: 48)
        defer { tmux.kill() }
        try tmux.waitForText("step 1/87", "stem.conv", "? help", seconds: 30)
        try tmux.sendKeys("d")
        try tmux.waitForText("B: same weights (paper shuffle)", "first divergent: stage2.unit1.shuffle (step 4)", "A − B", seconds: 30)
        let screen = try tmux.capture()
        #expect(screen.contains("stem.conv: max|Δ| 0 · max_rel 0"), "\(screen)")
        try tmux.sendKeys("e")
        try tmux.waitForText("step 4/87 stage2.unit1.shuffle", "stage2.unit1.shuffle: max|Δ|")
        try tmux.sendKeys("d")
        let closed = try tmux.waitUntil("compare mode closed") { !$0.contains("first divergent") && !$0.contains("A − B") }
        #expect(closed.contains("step 4/87 stage2.unit1.shuffle"))
        try tmux.sendKeys("q")
        try tmux.waitForText("EXIT=0", "TTY=sane")
    }
}
