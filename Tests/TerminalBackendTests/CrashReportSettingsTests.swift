import Testing

@testable import TerminalBackend

@Suite struct CrashReportSettingsTests {
    @Test func addsNonInteractiveUnlessTheUserChose() {
        #expect(CrashReportSettings.nonInteractive(nil) == "interactive=no")
        #expect(CrashReportSettings.nonInteractive("") == "interactive=no")
        #expect(CrashReportSettings.nonInteractive("color=no") == "color=no,interactive=no")
        #expect(CrashReportSettings.nonInteractive("enable=yes, interactive=yes") == nil)
        #expect(CrashReportSettings.nonInteractive("interactive=no") == nil)
        // A key that merely contains the word is not the setting.
        #expect(CrashReportSettings.nonInteractive("noninteractive=1") == "noninteractive=1,interactive=no")
    }
}
