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

        let session = try CursesSession()
        defer { session.close() }
        let mode = session.capability.selectMode(environment: colorEnvironment(), override: override)
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

    private static func colorEnvironment() -> [String: String] {
        var environment: [String: String] = [:]
        for name in ["NO_COLOR", "COLORTERM"] {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        return environment
    }
}
