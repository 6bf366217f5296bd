/// Why a terminal session could not start or had to end early. Each message is one line, ready
/// for the command line to print as is.
public enum TerminalError: Error, Equatable, CustomStringConvertible {
    /// Standard input or standard output is not a terminal (a pipe, a file, a script).
    case notATerminal
    /// curses could not set up the terminal type named by `TERM` (unset, unknown, or its
    /// terminfo entry is missing). Holds the value of `TERM`, or nil when it is unset.
    case cannotOpenTerminal(terminalType: String?)
    /// The terminal type cannot move the cursor (e.g. `TERM=dumb`), so no screen can be drawn.
    case noCursorAddressing(terminalType: String?)
    /// A session is already running in this process; curses and signal handlers are per process.
    case sessionAlreadyActive
    /// The terminal stopped delivering input (it was closed or hung up).
    case inputClosed

    public var description: String {
        switch self {
        case .notATerminal:
            return "shufflescope: the inspector needs a terminal (stdin and stdout must be a TTY); "
                + "try `shufflescope summary`, `infer`, `render`, `bench` or `profile`"
        case .cannotOpenTerminal(terminalType: nil):
            return "shufflescope: cannot open the terminal: TERM is not set (set it, e.g. TERM=xterm-256color)"
        case .cannotOpenTerminal(terminalType: let type?):
            return "shufflescope: cannot open the terminal: curses does not know TERM=\"\(type)\" "
                + "(install its terminfo entry or set TERM=xterm-256color)"
        case .noCursorAddressing(let type):
            return "shufflescope: the terminal type \"\(type ?? "unknown")\" cannot move the cursor, "
                + "so the inspector cannot draw (set TERM=xterm-256color, or use `shufflescope summary`)"
        case .sessionAlreadyActive:
            return "shufflescope: a terminal session is already running in this process"
        case .inputClosed:
            return "shufflescope: the terminal stopped sending input (closed or hung up)"
        }
    }
}
