import Foundation
import Testing

/// Signals from outside while the inspector owns the terminal (in tmux): SIGQUIT ends it at once
/// with status 131, a crash signal prints the runtime's report after the terminal is restored and
/// never stops at the runtime's interactive prompt.
@Suite(.serialized) struct InspectorSignalTests {
    static let smallNetwork = ["--groups", "8", "--width", "0.5", "--input-size", "96", "--profile-passes", "2"]

    func openInspector(environment: [String] = []) throws -> TmuxSession {
        let tmux = try TmuxSession(
            arguments: ShufflescopeBinary.wrapped(Self.smallNetwork, environment: environment), width: 120, height: 40)
        do {
            try tmux.waitForText("step 1/87", "? help", seconds: 30)
        } catch {
            tmux.kill()
            throw error
        }
        return tmux
    }

    /// The shufflescope process under the pane's shell.
    func inspectorProcess(in tmux: TmuxSession) throws -> pid_t {
        let shell = try tmux.display("#{pane_pid}")
        let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        for child in children.split(separator: " ") {
            guard let pid = pid_t(child) else { continue }
            let commandLine = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
            if commandLine.contains("shufflescope") { return pid }
        }
        throw EndToEndError(description: "no shufflescope process under the pane's shell \(shell)")
    }

    /// The environment the running inspector has (after its re-execution).
    func environment(of pid: pid_t) -> [String] {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/environ", encoding: .utf8)) ?? ""
        return text.split(separator: "\0").map(String.init)
    }

    @Test func sigquitEndsWithStatus131AndARestoredTerminal() throws {
        let tmux = try openInspector()
        defer { tmux.kill() }
        let pid = try inspectorProcess(in: tmux)
        #expect(kill(pid, SIGQUIT) == 0)
        let screen = try tmux.waitForText("EXIT=131", "TTY=sane", seconds: 10)
        #expect(!screen.contains("Program crashed"), "a requested quit is not reported as a crash:\n\(screen)")
        #expect(try tmux.display("#{alternate_on} #{cursor_flag} #{keypad_flag}") == "0 1 0")
    }

    @Test(arguments: [(SIGSEGV, 139), (SIGABRT, 134)])
    func crashSignalsPrintTheReportAfterRestoringAndNeverPrompt(signal: Int32, status: Int) throws {
        let tmux = try openInspector()
        defer { tmux.kill() }
        let pid = try inspectorProcess(in: tmux)
        #expect(environment(of: pid).contains("SWIFT_BACKTRACE=interactive=no"))
        #expect(kill(pid, signal) == 0)
        let screen = try tmux.waitForText("EXIT=\(status)", "TTY=sane", seconds: 60)
        #expect(!screen.contains("Press space"), "the runtime's prompt appeared:\n\(screen)")
        #expect(screen.contains("Program crashed"), "no crash report:\n\(screen)")
        // The report is on the normal screen: the alternate screen was left before it was written.
        #expect(try tmux.display("#{alternate_on} #{cursor_flag} #{keypad_flag}") == "0 1 0")
    }

    /// A user's own choice for the reporter's interaction is kept.
    @Test func aUsersOwnBacktraceSettingIsKept() throws {
        let tmux = try openInspector(environment: ["SWIFT_BACKTRACE=color=no"])
        defer { tmux.kill() }
        let pid = try inspectorProcess(in: tmux)
        #expect(environment(of: pid).contains("SWIFT_BACKTRACE=color=no,interactive=no"))
        try tmux.sendKeys("q")
        try tmux.waitForText("EXIT=0", "TTY=sane")
    }
}
