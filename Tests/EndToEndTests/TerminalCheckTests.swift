import Foundation
import Testing

/// `shufflescope terminal-check` in a real terminal (tmux): keys, resizes, colour modes, and the
/// terminal state left behind on every way out.
@Suite struct TerminalCheckTests {
    @Test func showsSizeColourModeAndDecodedKeys() throws {
        let tmux = try TmuxSession(arguments: ShufflescopeBinary.wrapped(["terminal-check"]), width: 60, height: 12)
        defer { tmux.kill() }
        // Half blocks, box drawing and the middle dot survive the trip through curses. (The
        // frame arrives in pieces, so every check waits; "ticks" is the last line drawn.)
        try tmux.waitForText("size 60x12", "colours 256", "key none (0)", "▀▀▀▀", "┌──┐ ▀▄█ ·", "ticks 0")

        try tmux.sendKeys("Up")
        try tmux.waitForText("key up (1)")
        try tmux.sendKeys("Escape")
        try tmux.waitForText("key escape (2)")
        try tmux.sendKeys("a")
        try tmux.waitForText("key character a (3)")
        try tmux.sendKeys("F5")
        try tmux.waitForText("key F5 (4)")
        try tmux.sendKeys("C-a")
        try tmux.waitForText("key control a (5)")

        // 256 colours: the sample row is drawn with palette indices.
        #expect(try tmux.capture(escapes: true).contains("38;5;"))
    }

    @Test func redrawsOnResizeDownToOneCell() throws {
        let tmux = try TmuxSession(arguments: ShufflescopeBinary.wrapped(["terminal-check"]), width: 40, height: 10)
        defer { tmux.kill() }
        try tmux.waitForText("size 40x10")
        try tmux.resize(width: 10, height: 3)
        let small = try tmux.waitForText("size 10x3")
        let firstLine = small.split(separator: "\n", omittingEmptySubsequences: false).first ?? ""
        #expect(firstLine.trimmingCharacters(in: .whitespaces) == "size 10x3")
        try tmux.resize(width: 1, height: 1)
        // The lone cell is the bottom-right one, which terminals cannot always fill; what
        // matters is that the program is still running and answers after growing back.
        try tmux.resize(width: 3, height: 1)
        // Cut text ends in "…" (CellGrid.put).
        try tmux.waitForText("si…")
        try tmux.resize(width: 50, height: 8)
        try tmux.waitForText("size 50x8", "key resize")
        #expect(try tmux.display("#{pane_dead}") == "0")
        try tmux.sendKeys("q")
        try tmux.waitForText("EXIT=0", "TTY=sane")
    }

    @Test func noColorGivesMonochrome() throws {
        let tmux = try TmuxSession(
            arguments: ShufflescopeBinary.wrapped(["terminal-check"], environment: ["NO_COLOR=1"]), width: 60, height: 12)
        defer { tmux.kill() }
        try tmux.waitForText("colours none", "size 60x12", "ticks 0")
        // Attributes (bold, dim, underline, reverse) may stay; no parameter may set a colour.
        let styled = try tmux.capture(escapes: true)
        #expect(colourParameters(in: styled).isEmpty, "colour sequences in:\n\(styled)")
    }

    @Test func colourOverrideIsApplied() throws {
        let tmux = try TmuxSession(
            arguments: ShufflescopeBinary.wrapped(["terminal-check", "--color", "16"]), width: 60, height: 12)
        defer { tmux.kill() }
        try tmux.waitForText("colours 16", "ticks 0")
        // Only the 16 ANSI colours: 30–37/90–97 and 40–47/100–107, never 38;5 or 48;5.
        let parameters = colourParameters(in: try tmux.capture(escapes: true))
        #expect(!parameters.isEmpty)
        #expect(parameters.allSatisfy { !$0.hasPrefix("38") && !$0.hasPrefix("48") }, "\(parameters)")
    }

    /// Direct colour needs a terminfo entry with 2^24 colours (`xterm-direct` lives in an
    /// optional package), so the test compiles a minimal one with `tic`. Its `RGB` flag is
    /// evidence of 24-bit colour by itself; `--color 256` still asks for the palette.
    @Test func directColourTerminalShowsTruecolorFromTheTerminfoFlag() throws {
        let terminfo = try DirectColourTerminfo()
        defer { terminfo.remove() }

        let truecolor = try TmuxSession(
            arguments: ShufflescopeBinary.wrapped(
                ["terminal-check"], environment: terminfo.environment + ["COLORTERM=truecolor"]),
            width: 60, height: 12)
        defer { truecolor.kill() }
        try truecolor.waitForText("colours truecolor", "ticks 0")
        // The first sample cell's foreground is RGB(0, 0.2, 1) = (0, 51, 255), sent exactly.
        let exact = colourParameters(in: try truecolor.capture(escapes: true))
        #expect(exact.contains("38;2;0;51;255"), "\(exact)")

        let flagOnly = try TmuxSession(
            arguments: ShufflescopeBinary.wrapped(["terminal-check"], environment: terminfo.environment),
            width: 60, height: 12)
        defer { flagOnly.kill() }
        try flagOnly.waitForText("colours truecolor", "ticks 0")

        let palette = try TmuxSession(
            arguments: ShufflescopeBinary.wrapped(["terminal-check", "--color", "256"], environment: terminfo.environment),
            width: 60, height: 12)
        defer { palette.kill() }
        try palette.waitForText("colours 256", "ticks 0")
        // With --color 256 the same colour goes through the 256 palette: 51 is nearer the cube
        // level 95 than 0, giving index 27 = (0, 95, 255), still sent as RGB to this terminal.
        let quantised = colourParameters(in: try palette.capture(escapes: true))
        #expect(quantised.contains("38;2;0;95;255"), "\(quantised)")
        #expect(!quantised.contains("38;2;0;51;255"))
    }

    @Test func quitRestoresTheTerminalWithStatusZero() throws {
        let tmux = try TmuxSession(arguments: ShufflescopeBinary.wrapped(["terminal-check"]), width: 60, height: 12)
        defer { tmux.kill() }
        try tmux.waitForText("size 60x12")
        try tmux.sendKeys("q")
        let screen = try tmux.waitForText("EXIT=0", "TTY=sane")
        // Back on the normal screen: nothing of the program's frame is left.
        #expect(!screen.contains("size 60x12"))
        let modes = try tmux.display("#{alternate_on} #{cursor_flag} #{keypad_flag}")
        #expect(modes == "0 1 0", "alternate screen, cursor visible, keypad transmit")
    }

    @Test func controlCQuitsAndRestores() throws {
        let tmux = try TmuxSession(arguments: ShufflescopeBinary.wrapped(["terminal-check"]), width: 60, height: 12)
        defer { tmux.kill() }
        try tmux.waitForText("size 60x12")
        try tmux.sendKeys("C-c")
        try tmux.waitForText("EXIT=0", "TTY=sane")
        let modes = try tmux.display("#{alternate_on} #{cursor_flag}")
        #expect(modes == "0 1", "alternate screen, cursor visible")
    }

    @Test func sigtermRestoresTheTerminalAndExitsNonZero() throws {
        let tmux = try TmuxSession(arguments: ShufflescopeBinary.wrapped(["terminal-check"]), width: 60, height: 12)
        defer { tmux.kill() }
        let pid = try processIdentifier(on: try tmux.waitForText("size 60x12", "ticks 0"))
        #expect(Glibc.kill(pid, SIGTERM) == 0)
        // The shell reports death by signal 15 as 128 + 15.
        try tmux.waitForText("EXIT=143", "TTY=sane")
        let modes = try tmux.display("#{alternate_on} #{cursor_flag} #{keypad_flag}")
        #expect(modes == "0 1 0", "alternate screen, cursor visible, keypad transmit")
    }

    @Test func crashSignalRestoresTheTerminal() throws {
        // The runtime's crash reporter would prompt for a key and take seconds; it is not under test.
        let tmux = try TmuxSession(
            arguments: ShufflescopeBinary.wrapped(["terminal-check"], environment: ["SWIFT_BACKTRACE=enable=no"]),
            width: 80, height: 30)
        defer { tmux.kill() }
        let pid = try processIdentifier(on: try tmux.waitForText("size 80x30", "ticks 0"))
        #expect(Glibc.kill(pid, SIGSEGV) == 0)
        try tmux.waitForText("EXIT=139", "TTY=sane")
        let modes = try tmux.display("#{alternate_on} #{cursor_flag} #{keypad_flag}")
        #expect(modes == "0 1 0", "alternate screen, cursor visible, keypad transmit")
    }

    @Test func idleUsesNoCPUAndBusyTicks() throws {
        let tmux = try TmuxSession(arguments: ShufflescopeBinary.wrapped(["terminal-check"]), width: 60, height: 12)
        defer { tmux.kill() }
        let pid = try processIdentifier(on: try tmux.waitForText("ticks 0 idle"))
        // Idle, the backend blocks on input: over a second a polling loop would burn most of
        // it (about 100 clock ticks), a blocked read none.
        let before = try cpuClockTicks(of: pid)
        usleep(1_000_000)
        let used = try cpuClockTicks(of: pid) - before
        #expect(used <= 10, "\(used) clock ticks of CPU in one idle second")
        try tmux.sendKeys("b")
        try tmux.waitForText("ticks 3 busy")
        try tmux.sendKeys("b")
        try tmux.waitUntil("ticking stops") { $0.contains(" idle") }
        try tmux.sendKeys("q")
        try tmux.waitForText("EXIT=0")
    }

    @Test func unknownTerminalTypeIsAClearError() throws {
        let tmux = try TmuxSession(
            arguments: ShufflescopeBinary.wrapped(["terminal-check"], environment: ["TERM=no-such-terminal"]),
            width: 60, height: 8)
        defer { tmux.kill() }
        try tmux.waitForText("curses does not know TERM=\"no-such-terminal\"", "EXIT=1", "TTY=sane")
    }

    @Test func terminalWithoutCursorAddressingIsAClearError() throws {
        let tmux = try TmuxSession(
            arguments: ShufflescopeBinary.wrapped(["terminal-check"], environment: ["TERM=dumb"]), width: 60, height: 8)
        defer { tmux.kill() }
        try tmux.waitForText("\"dumb\" cannot move the cursor", "EXIT=1", "TTY=sane")
    }

    @Test func refusesWhenOnlyStdoutIsRedirected() throws {
        let tmux = try TmuxSession(
            arguments: ShufflescopeBinary.wrapped(["terminal-check"], redirect: "> /dev/null"), width: 60, height: 8)
        defer { tmux.kill() }
        try tmux.waitForText("the inspector needs a terminal", "EXIT=1", "TTY=sane")
    }
}

/// The colour-setting parameters of every SGR sequence in `text` ("31", "38;5;196", ...);
/// resets to the default colours (39, 49) and attributes are left out.
func colourParameters(in text: String) -> [String] {
    var found: [String] = []
    for sequence in text.split(separator: "\u{1B}").dropFirst() {
        guard sequence.hasPrefix("["), let end = sequence.firstIndex(of: "m") else { continue }
        let parameters = sequence[sequence.index(after: sequence.startIndex)..<end].split(separator: ";").compactMap { Int($0) }
        var index = 0
        while index < parameters.count {
            let parameter = parameters[index]
            if parameter == 38 || parameter == 48 {
                // 38;5;n or 38;2;r;g;b
                let length = parameters.count > index + 1 && parameters[index + 1] == 2 ? 5 : 3
                found.append(parameters[index..<min(parameters.count, index + length)].map(String.init).joined(separator: ";"))
                index += length
                continue
            }
            if (30...37).contains(parameter) || (40...47).contains(parameter) || (90...97).contains(parameter)
                || (100...107).contains(parameter)
            {
                found.append(String(parameter))
            }
            index += 1
        }
    }
    return found
}

/// The process id terminal-check shows on its "pid N" line. The screen must hold a whole frame
/// (the frame arrives in pieces), and the process must be a shufflescope: the test signals it.
func processIdentifier(on screen: String) throws -> pid_t {
    let line = screen.split(separator: "\n").first { $0.hasPrefix("pid ") }
    guard let line, let pid = pid_t(line.dropFirst(4).trimmingCharacters(in: .whitespaces)) else {
        throw EndToEndError(description: "no pid line on the screen:\n\(screen)")
    }
    let commandLine = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
    guard commandLine.contains("shufflescope") else {
        throw EndToEndError(description: "process \(pid) is not shufflescope (\(commandLine))")
    }
    return pid
}

/// User + system CPU time of a process so far, in clock ticks (fields 14 and 15 of /proc/pid/stat).
func cpuClockTicks(of pid: pid_t) throws -> Int {
    let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
    // The command name (field 2) may contain spaces; the fields after it start past the ")".
    guard let close = stat.lastIndex(of: ")") else { throw EndToEndError(description: "unreadable /proc/\(pid)/stat") }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    // fields[0] is field 3 (state), so fields 14 and 15 are at 11 and 12.
    guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else {
        throw EndToEndError(description: "unreadable /proc/\(pid)/stat: \(stat)")
    }
    return user + system
}
