import CNCurses
import Glibc
import Inspector

/// One curses screen on the process's standard input and output, from `newterm()` to `endwin()`.
///
/// Only one can be open at a time: curses and the emergency signal handlers are per process.
final class CursesSession {
    let window: UnsafeMutablePointer<WINDOW>
    let capability: ColorCapability
    /// False when the locale cannot encode non-ASCII text (see `CellCharacter`).
    let localeIsUTF8: Bool
    var pairs: ColorPairTable
    /// The terminfo entry in use (`TERM`, or the direct-colour variant that was preferred).
    let openedType: String?
    /// Terminfo flags that promise 24-bit colour (`RGB`, `Tc`) in the entry in use.
    var truecolorFlags: Set<String> { Set(["RGB", "Tc"].filter { tigetflag($0) > 0 }) }
    private let screen: OpaquePointer
    private var isOpen = true

    nonisolated(unsafe) private static var sessionIsActive = false

    /// Sets up the terminal: raw input (Ctrl-C arrives as a key), no echo, keypad decoding, a
    /// hidden cursor, a 25 ms Escape delay (so Esc alone is immediate) and colours with the
    /// terminal's defaults available. The caller has checked that stdin and stdout are terminals.
    /// With `preferredType`, that terminfo entry is tried first (a direct-colour variant of
    /// `TERM`); when it does not exist, `TERM` is used as usual.
    init(preferredType: String? = nil) throws(TerminalError) {
        guard !Self.sessionIsActive else { throw .sessionAlreadyActive }
        EmergencyRestore.install()
        // newterm(), unlike initscr(), returns NULL on an unknown TERM instead of exiting.
        let terminalType = getenv("TERM").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
        let preferred = preferredType.flatMap { cncurses_newterm_on_standard_streams($0) }
        openedType = preferred == nil ? terminalType : preferredType
        guard let screen = preferred ?? cncurses_newterm_on_standard_streams(nil) else {
            EmergencyRestore.uninstall()
            throw .cannotOpenTerminal(terminalType: terminalType)
        }
        // curses accepts types like "dumb" that cannot address the cursor, then draws garbage.
        let standardScreen = cncurses_standard_screen()
        guard let window = standardScreen, cncurses_string_capability("cup") != nil else {
            endwin()
            delscreen(screen)
            EmergencyRestore.uninstall()
            throw standardScreen == nil
                ? .cannotOpenTerminal(terminalType: terminalType) : .noCursorAddressing(terminalType: terminalType)
        }
        Self.sessionIsActive = true
        self.screen = screen
        self.window = window
        set_term(screen)
        raw()
        noecho()
        nonl()
        keypad(window, true)
        _ = curs_set(0)  // Fails on terminals without cursor control; the cursor then just shows.
        set_escdelay(25)

        var colorCount = 0
        var hasDefaultColors = false
        if has_colors() {
            start_color()
            hasDefaultColors = use_default_colors() == OK
            colorCount = Int(cncurses_colors())
        }
        capability = ColorCapability(
            colorCount: colorCount,
            isDirectColor: colorCount >= 1 << 24,
            hasDefaultColors: hasDefaultColors
        )
        pairs = ColorPairTable(limit: Int(cncurses_color_pairs()))
        localeIsUTF8 = nl_langinfo(nl_item(CODESET)).map { String(cString: $0) } == "UTF-8"

        // What endwin() would write, for the signal handlers.
        var restore: [UInt8] = []
        for name in ["sgr0", "rmkx", "rmcup", "cnorm"] {
            guard let value = cncurses_string_capability(name) else { continue }
            restore += Self.withoutPadding(Array(String(cString: value).utf8))
        }
        EmergencyRestore.setRestoreSequence(restore)
    }

    /// Gives the terminal back: modes, alternate screen, cursor, signal handlers. Idempotent.
    func close() {
        guard isOpen else { return }
        isOpen = false
        endwin()
        delscreen(screen)
        EmergencyRestore.uninstall()
        Self.sessionIsActive = false
    }

    deinit { close() }

    /// The current size of the screen (rows × columns); curses updates it on `KEY_RESIZE`.
    var size: (width: Int, height: Int) {
        (max(0, Int(getmaxx(window))), max(0, Int(getmaxy(window))))
    }

    /// Terminfo strings may carry delays as `$<5>` or `$<2/*>`, which tputs() turns into
    /// padding; raw writes must drop them instead.
    static func withoutPadding(_ bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "$"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "<"),
                let close = bytes[(index + 2)...].firstIndex(of: UInt8(ascii: ">"))
            {
                index = close + 1
                continue
            }
            result.append(bytes[index])
            index += 1
        }
        return result
    }
}
