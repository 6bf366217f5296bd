import Glibc

/// Puts the terminal back when the process ends while curses owns it without going through
/// `endwin()`: on SIGTERM, SIGHUP, SIGINT, SIGQUIT, on crashes (SIGSEGV, SIGBUS, SIGILL, SIGFPE,
/// SIGABRT, SIGTRAP — Swift traps arrive as SIGILL or SIGTRAP) and on `exit()`.
///
/// A signal handler may not call `endwin()` (it is not async-signal-safe, and the signal may have
/// arrived in the middle of curses). So everything is prepared beforehand in preallocated memory:
/// the terminal's termios before curses changed it, and the bytes that leave curses' modes
/// (attributes off, keypad transmit off, alternate screen off, cursor visible). The handler then
/// only calls `write`, `tcsetattr`, `sigaction` and `raise`, all async-signal-safe, and re-raises
/// the signal with its previous disposition, so the process still ends as the signal asks
/// (status 128+n in a shell, a core dump, the runtime's crash report, printed after the terminal
/// is back). SIGQUIT is re-raised with the default action instead (status 131), since the
/// runtime's crash reporter would take it for a crash; `CrashReportSettings` keeps that reporter
/// from prompting.
///
/// The state lives behind pointers allocated once, not in Swift variables: reading a Swift global
/// `var` inside a handler could trip the runtime's exclusivity checks if the handler interrupted
/// a write to it.
enum EmergencyRestore {
    static let terminatingSignals: [Int32] = [SIGTERM, SIGHUP, SIGINT, SIGQUIT]
    static let crashSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]
    static let restoreCapacity = 512

    /// Saves the terminal modes and installs the handlers. Call before `newterm()`, which then
    /// leaves its own SIGINT/SIGTERM handlers out (it installs them only over default actions).
    static func install() {
        let state = sharedState
        state.pointee.hasTermios = tcgetattr(STDIN_FILENO, state.pointee.termios) == 0
        state.pointee.restoreLength = 0
        if !state.pointee.exitHandlerRegistered {
            state.pointee.exitHandlerRegistered = true
            atexit { EmergencyRestore.restoreTerminalIfArmed() }
        }
        for signal in terminatingSignals + crashSignals {
            var previous = sigaction()
            guard sigaction(signal, nil, &previous) == 0 else { continue }
            // A signal the parent chose to ignore (nohup) stays ignored.
            if unsafeBitCast(previous.__sigaction_handler, to: Int.self) == 1 { continue }
            state.pointee.previousActions[Int(signal)] = previous
            state.pointee.installed[Int(signal)] = true
            var action = sigaction()
            action.__sigaction_handler.sa_sigaction = { signal, info, context in
                EmergencyRestore.handle(signal, info: info, context: context)
            }
            sigemptyset(&action.sa_mask)
            // SA_ONSTACK: run on the alternate stack where the runtime set one up (stack overflows).
            action.sa_flags = SA_SIGINFO | SA_ONSTACK
            sigaction(signal, &action, nil)
        }
        state.pointee.armed = true
    }

    /// Records the bytes that undo curses' output modes, once curses has started.
    static func setRestoreSequence(_ bytes: [UInt8]) {
        let state = sharedState
        let count = min(bytes.count, restoreCapacity)
        state.pointee.restoreLength = 0
        for index in 0..<count { state.pointee.restoreBytes[index] = bytes[index] }
        state.pointee.restoreLength = count
    }

    /// Disarms and puts back the handlers that were there before `install()`.
    static func uninstall() {
        let state = sharedState
        state.pointee.armed = false
        for signal in terminatingSignals + crashSignals where state.pointee.installed[Int(signal)] {
            sigaction(signal, state.pointee.previousActions + Int(signal), nil)
            state.pointee.installed[Int(signal)] = false
        }
    }

    private static func handle(
        _ signal: Int32, info: UnsafeMutablePointer<siginfo_t>?, context: UnsafeMutableRawPointer?
    ) {
        restoreTerminalIfArmed()
        let state = sharedState
        guard signal > 0, Int(signal) < State.signalSlots, state.pointee.installed[Int(signal)] else {
            endWithDefaultAction(signal)
            return
        }
        let previous = state.pointee.previousActions[Int(signal)]
        sigaction(signal, state.pointee.previousActions + Int(signal), nil)
        // A quit the user asked for (Ctrl-\ or kill -QUIT) is not a crash: the default action
        // (status 131 in a shell), not the runtime's crash reporter.
        let handlerBits = unsafeBitCast(previous.__sigaction_handler, to: Int.self)
        guard signal != SIGQUIT, crashSignals.contains(signal), handlerBits != 0, handlerBits != 1 else {
            if signal == SIGQUIT { endWithDefaultAction(signal) } else { raise(signal) }
            return
        }
        // A crash signal with a previous handler (the Swift runtime's crash reporter): call it
        // here, with this signal's details, so the report comes after the terminal is restored.
        // The reporter returns when it is done; a signal sent with kill (not a fault) would not
        // come back by itself, so end the process with the default action either way.
        if previous.sa_flags & SA_SIGINFO != 0 {
            previous.__sigaction_handler.sa_sigaction?(signal, info, context)
        } else {
            previous.__sigaction_handler.sa_handler?(signal)
        }
        endWithDefaultAction(signal)
    }

    /// Sets the default action for `signal` and raises it: delivered when the handler returns,
    /// it ends the process with status 128 + `signal`.
    private static func endWithDefaultAction(_ signal: Int32) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = SIG_DFL
        sigemptyset(&action.sa_mask)
        sigaction(signal, &action, nil)
        raise(signal)
    }

    /// Writes the restore bytes and the saved termios. Async-signal-safe.
    static func restoreTerminalIfArmed() {
        let state = sharedState
        guard state.pointee.armed else { return }
        state.pointee.armed = false
        // CAN first: it aborts an escape sequence curses may have been halfway through writing.
        var cancel: UInt8 = 0x18
        _ = write(STDOUT_FILENO, &cancel, 1)
        if state.pointee.restoreLength > 0 {
            _ = write(STDOUT_FILENO, state.pointee.restoreBytes, state.pointee.restoreLength)
        }
        if state.pointee.hasTermios {
            _ = tcsetattr(STDIN_FILENO, TCSANOW, state.pointee.termios)
        }
    }

    private struct State {
        static let signalSlots = 65
        var armed = false
        var exitHandlerRegistered = false
        var hasTermios = false
        let termios = UnsafeMutablePointer<termios>.allocate(capacity: 1)
        let restoreBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: EmergencyRestore.restoreCapacity)
        var restoreLength = 0
        let previousActions = UnsafeMutablePointer<sigaction>.allocate(capacity: signalSlots)
        let installed = UnsafeMutablePointer<Bool>.allocate(capacity: signalSlots)

        init() {
            termios.initialize(to: Glibc.termios())
            previousActions.initialize(repeating: sigaction(), count: Self.signalSlots)
            installed.initialize(repeating: false, count: Self.signalSlots)
        }
    }

    /// Allocated on first use (in `install()`, before any handler can run) and never freed.
    nonisolated(unsafe) private static let sharedState: UnsafeMutablePointer<State> = {
        let pointer = UnsafeMutablePointer<State>.allocate(capacity: 1)
        pointer.initialize(to: State())
        return pointer
    }()
}
