import CNCurses
import Inspector

/// Turns what `wget_wch()` reports into a `Key`.
enum KeyDecoder {
    /// `status` is `wget_wch`'s result (`OK` for a character, `KEY_CODE_YES` for a key code) and
    /// `value` the character or the code. Anything not understood becomes `.unknown`.
    static func decode(status: Int32, value: UInt32) -> Key {
        status == KEY_CODE_YES ? decodeKeyCode(Int32(bitPattern: value)) : decodeCharacter(value)
    }

    static func decodeCharacter(_ value: UInt32) -> Key {
        switch value {
        case 0x1B: return .escape
        case 0x0D, 0x0A: return .enter
        case 0x09: return .tab
        case 0x7F, 0x08: return .backspace
        case 0x01...0x1A:
            // Ctrl-A is 1, ..., Ctrl-Z is 26; 8, 9, 10 and 13 were taken above (Backspace, Tab, Enter).
            guard let scalar = Unicode.Scalar(value + 0x60) else { return .unknown(Int32(value)) }
            return .control(Character(scalar))
        case 0x00...0x1F, 0x80...0x9F:
            return .unknown(Int32(value))
        default:
            guard let scalar = Unicode.Scalar(value) else { return .unknown(Int32(bitPattern: value)) }
            return .character(Character(scalar))
        }
    }

    static func decodeKeyCode(_ code: Int32) -> Key {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        // Some terminfo entries (screen, linux) name Home/End "find"/"select" or keypad corners.
        case KEY_HOME, KEY_FIND, KEY_A1: return .home
        case KEY_END, KEY_SELECT, KEY_C1: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_BTAB: return .backTab
        case KEY_RESIZE: return .resize
        case (KEY_F0 + 1)...(KEY_F0 + 63): return .function(Int(code - KEY_F0))
        default: return .unknown(code)
        }
    }
}
