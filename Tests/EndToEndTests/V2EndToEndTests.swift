import Foundation
import Testing

/// The inspector on ShuffleNet v2 in a real terminal (tmux): open it, step through a whole unit,
/// look at the split's shuffle view and the feature-reuse view, and leave cleanly.
///
/// 0.5× at 96×96 so the debug build answers at once. v2 has 117 steps: stem conv + max pool; each
/// stage's first unit has 7 steps (branch1.dw/pw, branch2.pw1/dw/pw2, concat, shuffle), every
/// other unit 7 (pass, split, branch2.pw1/dw/pw2, concat, shuffle); then conv5, pool, fc.
@Suite struct V2EndToEndTests {
    @Test func stepsThroughAUnitAndShowsTheSplitAndReuse() throws {
        let arguments = ["--arch", "v2", "--width", "0.5", "--input-size", "96", "--profile-passes", "2"]
        let tmux = try TmuxSession(arguments: ShufflescopeBinary.wrapped(arguments, environment: []), width: 200, height: 48)
        defer { tmux.kill() }
        try tmux.waitForText("step 1/117", "stem.conv", "? help", seconds: 30)
        let screen = try tmux.capture()
        #expect(screen.contains("ShuffleNet v2 0.5× (torchvision) · 96×96"), "\(screen)")
        #expect(screen.contains("torchvision preprocessing)"), "\(screen)")
        // stage2.unit1 is steps 3–9; the next unit starts with its split.
        try tmux.sendKeys("]", "]")
        try tmux.waitForText("step 10/117 stage2.unit2.pass")
        for (step, name) in [(11, "split"), (12, "branch2.pw1"), (13, "branch2.dw"), (14, "branch2.pw2"), (15, "concat")] {
            try tmux.sendKeys("n")
            try tmux.waitForText("step \(step)/117 stage2.unit2.\(name)")
        }
        // The concat is banded by branch.
        try tmux.waitForText("pass · ch 0–23", "branch2 · ch 24–47")
        try tmux.sendKeys("n", "2")
        try tmux.waitForText("step 16/117 stage2.unit2.shuffle", "channel shuffle · g=2", "the next split")
        try tmux.sendKeys("4")
        try tmux.waitForText("feature reuse", "units ago each channel was last computed")
        try tmux.sendKeys("q")
        try tmux.waitForText("EXIT=0", "TTY=sane")
    }
}
