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
/// (status 128+n in a shell, a core dump, the runtime's crash report).
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
            action.__sigaction_handler.sa_handler = { signal in EmergencyRestore.handle(signal) }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
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

    private static func handle(_ signal: Int32) {
        restoreTerminalIfArmed()
        let state = sharedState
        if signal > 0, Int(signal) < State.signalSlots, state.pointee.installed[Int(signal)] {
            sigaction(signal, state.pointee.previousActions + Int(signal), nil)
        }
        // Blocked until this handler returns, then delivered with the previous disposition.
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
