import CNCurses
import Glibc
import Inspector

/// Runs a `TerminalApplication` on the terminal of the current process through ncursesw.
///
/// The backend owns the terminal and nothing else: it draws whatever `render` returns, turns
/// input into `Key`s for `handle`, and calls `tick` while the application is busy.
///
/// - Input: raw mode, so Ctrl-C arrives as `.control("c")`. It is passed to the application and
///   then always ends the session, whatever the application answers, so it stays an escape hatch.
///   While the application is idle the backend blocks on input (no CPU used); while it is busy,
///   input waits at most the application's `tickMilliseconds` (100 by default), then `tick()` runs.
/// - Resizes arrive as `.resize`; the screen is then repainted in full at the new size.
/// - Colour: see `ColorCapability.selectMode` (NO_COLOR, COLORTERM, the override).
/// - Restoring: the terminal is restored when the application quits, on Ctrl-C, on a thrown
///   error, on SIGTERM/SIGHUP/SIGINT/SIGQUIT and, as far as possible, on a crash or `exit()`
///   (`EmergencyRestore`).
public enum CursesTerminal {
    /// Runs `application` until it answers `.quit` or the user presses Ctrl-C.
    ///
    /// - Parameter override: the colour mode to use instead of the detected one; capped at what
    ///   the terminal can show.
    /// - Throws: `TerminalError.notATerminal` (checked before curses is touched) when stdin or
    ///   stdout is not a terminal, `.cannotOpenTerminal` for an unknown `TERM`,
    ///   `.noCursorAddressing` for types like `dumb`, `.sessionAlreadyActive`, and
    ///   `.inputClosed` if the terminal goes away.
    public static func run(_ application: any TerminalApplication, colorMode override: ColorMode? = nil) throws(TerminalError) {
        // Before curses: the locale decides whether curses may emit UTF-8.
        setlocale(LC_ALL, "")
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw .notATerminal }

        let environment = colorEnvironment()
        let terminalType = getenv("TERM").map { String(cString: $0) }
        var detection = TruecolorDetection(environment: environment, tmuxFeatures: tmuxClientFeatures(environment))
        // A truecolor terminal behind a 256-colour entry: curses needs the direct-colour entry.
        let wantsDirect = detection.isTruecolor && override != .palette256 && !(override?.hasColor == false)
        let session = try CursesSession(preferredType: wantsDirect ? TruecolorDetection.directVariant(of: terminalType) : nil)
        defer { session.close() }
        if !detection.isTruecolor {
            detection = TruecolorDetection(environment: environment, terminfoFlags: session.truecolorFlags)
        }
        var selection = environment
        // The evidence counts like COLORTERM when curses can send RGB.
        if detection.isTruecolor && session.capability.isDirectColor { selection["COLORTERM"] = "truecolor" }
        let mode = session.capability.selectMode(environment: selection, override: override)
        application.colorModeChosen(mode, notice: TruecolorDetection.notice(
            requested: override, shown: mode, terminalType: session.openedType, detection: detection))
        try eventLoop(application, session: session, mode: mode)
    }

    private static func eventLoop(_ application: any TerminalApplication, session: CursesSession, mode: ColorMode) throws(TerminalError) {
        let clock = ContinuousClock()
        var lastTick = clock.now
        var needsRedraw = true
        var failedReads = 0
        func redrawIfNeeded() {
            guard needsRedraw else { return }
            let size = session.size
            session.draw(application.render(width: size.width, height: size.height, colorMode: mode), mode: mode)
            needsRedraw = false
        }
        while true {
            redrawIfNeeded()
            let busy = application.isBusy
            let interval = Int32(max(0, application.tickMilliseconds))
            wtimeout(session.window, busy ? interval : -1)
            var value: wint_t = 0
            let status = wget_wch(session.window, &value)
            if status == ERR {
                if busy {
                    lastTick = clock.now
                    if application.tick() { needsRedraw = true }
                } else {
                    // A blocking read only fails when input is gone (hang-up, closed terminal);
                    // stop instead of spinning. A few retries allow for interrupted reads.
                    failedReads += 1
                    if failedReads > 8 { throw .inputClosed }
                }
                continue
            }
            failedReads = 0

            let key = KeyDecoder.decode(status: status, value: value)
            if key == .resize { session.invalidate() }
            let response = application.handle(key)
            if response == .quit || key == .control("c") { return }
            if response == .redraw || key == .resize { needsRedraw = true }

            // Keep ticking while keys stream in faster than the tick interval, but show the
            // key's frame first: a slice of background work must not delay what the key changed.
            if busy, lastTick.duration(to: clock.now) >= .milliseconds(Int(interval)) {
                redrawIfNeeded()
                lastTick = clock.now
                if application.tick() { needsRedraw = true }
            }
        }
    }

    /// tmux's report of its client's features (`RGB` when the outer terminal has 24-bit colour),
    /// asked only inside tmux; nil when it cannot be asked.
    private static func tmuxClientFeatures(_ environment: [String: String]) -> String? {
        guard environment["TMUX"] != nil else { return nil }
        let pipe = popen("tmux display-message -p '#{client_termfeatures}' 2>/dev/null", "r")
        guard let pipe else { return nil }
        defer { pclose(pipe) }
        var buffer = [CChar](repeating: 0, count: 512)
        guard fgets(&buffer, Int32(buffer.count), pipe) != nil else { return nil }
        let text = String(String(cString: buffer).filter { !$0.isWhitespace })
        return text.isEmpty ? nil : text
    }

    private static func colorEnvironment() -> [String: String] {
        var environment: [String: String] = [:]
        for name in ["NO_COLOR", "COLORTERM", "TMUX"] {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        return environment
    }
}
