import Inspector
import Testing

@testable import TerminalBackend

@Suite struct TruecolorDetectionTests {
    @Test func evidenceInOrder() {
        #expect(TruecolorDetection(environment: ["COLORTERM": "truecolor"]).evidence == "COLORTERM=truecolor")
        #expect(TruecolorDetection(environment: ["COLORTERM": "24bit"]).isTruecolor)
        #expect(!TruecolorDetection(environment: ["COLORTERM": "yes"]).isTruecolor)
        #expect(TruecolorDetection(environment: [:], terminfoFlags: ["Tc"]).evidence == "terminfo Tc")
        #expect(TruecolorDetection(environment: [:], tmuxFeatures: "256,title,RGB,mouse").evidence == "tmux client feature RGB")
        #expect(!TruecolorDetection(environment: [:], tmuxFeatures: "256,title").isTruecolor)
    }

    @Test func directVariants() {
        #expect(TruecolorDetection.directVariant(of: "xterm-256color") == "xterm-direct")
        #expect(TruecolorDetection.directVariant(of: "tmux-256color") == "tmux-direct")
        #expect(TruecolorDetection.directVariant(of: "xterm") == "xterm-direct")
        #expect(TruecolorDetection.directVariant(of: "xterm-direct") == nil)
        #expect(TruecolorDetection.directVariant(of: nil) == nil)
    }

    @Test func noticeOnlyWhenTheRequestIsNotHonoured() {
        let evidence = TruecolorDetection(environment: ["COLORTERM": "truecolor"])
        let none = TruecolorDetection(environment: [:])
        #expect(TruecolorDetection.notice(requested: .truecolor, shown: .truecolor, terminalType: "xterm-direct", detection: evidence) == nil)
        #expect(TruecolorDetection.notice(requested: nil, shown: .palette256, terminalType: "xterm-256color", detection: none) == nil)
        #expect(TruecolorDetection.notice(requested: .palette256, shown: .palette256, terminalType: "xterm-256color", detection: none) == nil)
        let told = TruecolorDetection.notice(requested: .truecolor, shown: .palette256, terminalType: "tmux-256color", detection: evidence)
        #expect(told == "256 colours shown, not truecolor: tmux-256color has no RGB entry (try TERM=tmux-direct)")
        let unknown = TruecolorDetection.notice(requested: .truecolor, shown: .palette256, terminalType: "screen", detection: none)
        #expect(unknown?.contains("nothing reports 24-bit") == true)
    }
}
