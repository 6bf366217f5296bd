import Foundation
import Testing

/// The interactive inspector (`shufflescope` with no subcommand) in a real terminal (tmux):
/// stepping, the views, zoom, search, help, the ablation, resizing and every way out.
///
/// Most tests use a small network (0.5×, g=8, 96×96 input) so the debug build answers every
/// key at once; one test opens the true default (1.0×, g=3, 224×224). Every network has the same
/// 87 steps: stem conv + max pool, 4 + 8 + 4 units (6 steps in each stage's first unit with its
/// average-pool shortcut, 5 in the others), global pool + FC = 2 + 21 + 41 + 21 + 2.
@Suite struct InspectorEndToEndTests {
    static let smallNetwork = ["--groups", "8", "--width", "0.5", "--input-size", "96", "--profile-passes", "2"]

    /// The inspector in a `width`×`height` pane, waiting until its first frame is on screen.
    func openInspector(
        _ arguments: [String] = smallNetwork, environment: [String] = [], width: Int = 160, height: Int = 48
    ) throws -> TmuxSession {
        let tmux = try TmuxSession(
            arguments: ShufflescopeBinary.wrapped(arguments, environment: environment), width: width, height: height)
        do {
            // The footer is the last line drawn, so the whole first frame is there.
            try tmux.waitForText("step 1/87", "stem.conv", "? help", seconds: 30)
        } catch {
            tmux.kill()
            throw error
        }
        return tmux
    }

    @Test func defaultModelShowsUntrainedWeightsAndSteps() throws {
        // Wide enough for the whole header line.
        let tmux = try openInspector([], width: 200, height: 50)
        defer { tmux.kill() }
        let screen = try tmux.capture()
        #expect(screen.contains(" ShuffleNet v1 1.0× g=3 · 224×224 │ weights: seeded (untrained) ! UNTRAINED │ "), "\(screen)")
        #expect(screen.contains("input: chelsea.jpg (bundled, authors preprocessing)"))
        #expect(screen.contains("1 heatmaps  2 shuffle  3 profile"))
        try tmux.sendKeys("n")
        try tmux.waitForText("step 2/87 stem.maxpool", seconds: 20)
        try tmux.sendKeys("n")
        try tmux.waitForText("step 3/87 stage2.unit1.pw1", seconds: 20)
        try tmux.sendKeys("q")
        try tmux.waitForText("EXIT=0", "TTY=sane")
    }

    @Test func stepsBackAndRunsToTheNextShuffle() throws {
        let tmux = try openInspector()
        defer { tmux.kill() }
        try tmux.sendKeys("n", "n", "n")
        try tmux.waitForText("step 4/87 stage2.unit1.shuffle")
        try tmux.sendKeys("p")
        try tmux.waitForText("step 3/87 stage2.unit1.pw1")
        // From pw1 the next shuffle is this unit's; from there the next unit's.
        try tmux.sendKeys("s")
        try tmux.waitForText("step 4/87 stage2.unit1.shuffle")
        try tmux.sendKeys("s")
        try tmux.waitForText("step 10/87 stage2.unit2.shuffle")
        // unit2 is steps 9–13 (no shortcut step), so unit3 starts at 14.
        try tmux.sendKeys("]")
        try tmux.waitForText("step 14/87 stage2.unit3.pw1")
        try tmux.sendKeys("}")
        try tmux.waitForText("step 24/87 stage3.unit1.pw1")
        // To the end and back to the start.
        try tmux.sendKeys("G")
        try tmux.waitForText("step 87/87 head.fc", "top 10 of 1000")
        try tmux.sendKeys("g")
        try tmux.waitForText("step 1/87 stem.conv")
    }

    @Test func helpOverlayOpensAndCloses() throws {
        let tmux = try openInspector()
        defer { tmux.kill() }
        try tmux.sendKeys("?")
        try tmux.waitForText("Esc or ? closes", "run to the next shuffle", "shuffle ablation on / off")
        try tmux.sendKeys("Escape")
        try tmux.waitUntil("the help closes") { !$0.contains("Esc or ? closes") && $0.contains("per layer") }
        // Keys reach the inspector again, not the overlay.
        try tmux.sendKeys("n")
        try tmux.waitForText("step 2/87 stem.maxpool")
    }

    @Test func searchJumpsToTheChosenMatch() throws {
        let tmux = try openInspector()
        defer { tmux.kill() }
        try tmux.sendKeys("/")
        try tmux.waitForText("type part of a step name")
        try tmux.sendKeys("-l", "unit3.dw")
        try tmux.waitForText("→ stage2.unit3.dw (1 of 3)")
        try tmux.sendKeys("Tab")
        try tmux.waitForText("→ stage3.unit3.dw (2 of 3)")
        try tmux.sendKeys("Enter")
        // stage3 starts at step 24; its unit1 has 6 steps, unit2 5, then unit3's pw1, shuffle, dw.
        try tmux.waitForText("step 37/87 stage3.unit3.dw")
        #expect(!(try tmux.capture()).contains("Enter jump"))
    }

    @Test func viewsCycleThroughShuffleProfileAndBack() throws {
        let tmux = try openInspector()
        defer { tmux.kill() }
        try tmux.sendKeys("s")
        try tmux.waitForText("step 4/87 stage2.unit1.shuffle")
        try tmux.sendKeys("v")
        // g=8, 48 channels: 6 per group; the released weights' convention is the default.
        try tmux.waitForText(
            "channel shuffle · g=8 · C=48 (n=6 per group)", "convention: authors' code", "out←in: 0←0 1←8 2←16")
        try tmux.sendKeys("v")
        try tmux.waitForText("2 passes · pass median", "op type", "1×1 conv", seconds: 30)
        try tmux.sendKeys("v")
        try tmux.waitForText("feature reuse", "stage2.unit1.shuffle · 48 channels")
        try tmux.sendKeys("v")
        try tmux.waitForText("stage2.unit1.shuffle · shuffle · 8 groups", "per layer")
        try tmux.sendKeys("3")
        try tmux.waitForText("sort: graph order (o)")
        try tmux.sendKeys("o")
        try tmux.waitForText("sort: time (o)")
    }

    @Test func zoomsIntoAGroupAndAChannel() throws {
        let tmux = try openInspector()
        defer { tmux.kill() }
        try tmux.sendKeys("]")
        // Stage 2's first pw1 is a dense conv (16 stem channels in): its output is one band.
        try tmux.waitForText("step 3/87 stage2.unit1.pw1", "48 channels · ch 0–47")
        try tmux.sendKeys("]")
        try tmux.waitForText("step 9/87 stage2.unit2.pw1")
        try tmux.sendKeys("Tab")
        try tmux.sendKeys("Enter")
        // The next pw1 outputs 48 channels in 8 groups of 6: group 2 holds channels 6–11.
        try tmux.waitForText("group 2 · ch 6–11", "Tab next group", "ch 6 · min")
        try tmux.sendKeys("Right")
        try tmux.waitForText("ch 7 · min")
        try tmux.sendKeys("Enter")
        try tmux.waitForText("ch 7 · group 2", "Tab next channel", "x 0 y 0 · value")
        try tmux.sendKeys("Right", "Down")
        try tmux.waitForText("x 1 y 1 · value")
        try tmux.sendKeys("Escape")
        try tmux.waitForText("Tab next group", "ch 7 · min")
        try tmux.sendKeys("Escape")
        try tmux.waitUntil("back to all groups") { $0.contains("group 8 · ch 42–47") && !$0.contains("Tab next group") }
    }

    @Test func ablationTogglesTheNoShuffleNetwork() throws {
        let tmux = try openInspector()
        defer { tmux.kill() }
        try tmux.sendKeys("a")
        try tmux.waitForText(
            "NO SHUFFLE (ablation)", "shuffle: disabled", "logits with vs without shuffle", "with shuffle", "without shuffle",
            seconds: 30)
        try tmux.sendKeys("a")
        try tmux.waitUntil("the ablation is off") { !$0.contains("NO SHUFFLE") && $0.contains("shuffle: authors' code") }
    }

    @Test func resizeBelowTheMinimumAsksToEnlargeThenRedraws() throws {
        let tmux = try openInspector()
        defer { tmux.kill() }
        try tmux.sendKeys("n")
        try tmux.waitForText("step 2/87 stem.maxpool")
        try tmux.resize(width: 40, height: 10)
        // The request wraps at 40 columns; the sizes stay whole words.
        try tmux.waitForText("enlarge", "60×16,", "40×10)")
        try tmux.resize(width: 160, height: 48)
        let screen = try tmux.waitForText("step 2/87 stem.maxpool", "? help")
        #expect(!screen.contains("enlarge"))
        // At 80 columns the header keeps what matters in whole words.
        try tmux.resize(width: 80, height: 24)
        try tmux.waitForText(
            " ShuffleNet v1 0.5× g=8 · 96×96 │ ! UNTRAINED weights │ input: chelsea.jpg\n",
            " step 2/87 stem.maxpool │ 2/87 steps ", " │ shuffle: authors'\n")
        try tmux.sendKeys("q")
        try tmux.waitForText("EXIT=0", "TTY=sane")
    }

    @Test func quitRestoresTheTerminalWithStatusZero() throws {
        let tmux = try openInspector()
        defer { tmux.kill() }
        try tmux.sendKeys("q")
        let screen = try tmux.waitForText("EXIT=0", "TTY=sane")
        #expect(!screen.contains("stem.conv"), "the frame is gone with the alternate screen")
        let modes = try tmux.display("#{alternate_on} #{cursor_flag} #{keypad_flag}")
        #expect(modes == "0 1 0", "alternate screen, cursor visible, keypad transmit")
    }

    @Test func controlCQuitsAndRestoresEvenFromTheHelp() throws {
        let tmux = try openInspector()
        defer { tmux.kill() }
        try tmux.sendKeys("?")
        try tmux.waitForText("Esc or ? closes")
        try tmux.sendKeys("C-c")
        try tmux.waitForText("EXIT=0", "TTY=sane")
        let modes = try tmux.display("#{alternate_on} #{cursor_flag} #{keypad_flag}")
        #expect(modes == "0 1 0", "alternate screen, cursor visible, keypad transmit")
    }

    @Test func idleInspectorUsesNoCPU() throws {
        let tmux = try openInspector()
        defer { tmux.kill() }
        let pid = try inspectorProcess(in: tmux)
        // Idle, the backend blocks on input: over a second a polling loop would burn most of it
        // (about 100 clock ticks), a blocked read none.
        let before = try cpuClockTicks(of: pid)
        usleep(1_000_000)
        let used = try cpuClockTicks(of: pid) - before
        #expect(used <= 10, "\(used) clock ticks of CPU in one idle second")
    }

    @Test func noColorDrawsValuesWithCharacters() throws {
        let tmux = try openInspector(environment: ["NO_COLOR=1"])
        defer { tmux.kill() }
        let styled = try tmux.capture(escapes: true)
        #expect(colourParameters(in: styled).isEmpty, "colour sequences in:\n\(styled)")
        // Without colour the pixels are drawn with the ASCII density ramp, not half blocks.
        let screen = try tmux.capture()
        #expect(!screen.contains("▀"), "\(screen)")
        #expect(screen.contains("per layer: 0 "))
    }

    /// The id of the shufflescope process running in the pane: the wrapper shell's child.
    private func inspectorProcess(in tmux: TmuxSession) throws -> pid_t {
        let shell = try tmux.display("#{pane_pid}")
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = pid_t(entry),
                let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // After the command name: state, then the parent's id.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, String(fields[1]) == shell else { continue }
            let commandLine = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
            if commandLine.contains("shufflescope") { return pid }
        }
        throw EndToEndError(description: "no shufflescope process under the pane's shell \(shell)")
    }
}
