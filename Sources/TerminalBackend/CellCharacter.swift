import CNCurses
import Glibc
import Inspector

/// Chooses what curses is given for one cell, so that every cell takes exactly one column.
enum CellCharacter {
    /// The wide characters for `character`: its first scalar followed by up to three combining
    /// scalars (curses keeps `CCHARW_MAX` = 5 including the terminating zero).
    ///
    /// Control characters become "?", as in the ANSI renderer. In a UTF-8 locale a character that
    /// is not one column wide (CJK, emoji, a lone combining mark) also becomes "?", because the
    /// grid is laid out one character per column. Outside UTF-8 the terminal cannot be sent
    /// non-ASCII text, so box drawing and blocks fall back to ASCII look-alikes.
    static func scalars(for character: Character, localeIsUTF8: Bool) -> [UInt32] {
        let printable = ANSIRenderer.printableCharacter(character)
        let scalars = Array(printable.unicodeScalars.prefix(4))
        guard let first = scalars.first else { return [0x3F] }
        if first.isASCII { return localeIsUTF8 ? scalars.map(\.value) : [first.value] }
        guard localeIsUTF8 else { return [asciiFallback(for: first)] }
        guard wcwidth(wchar_t(bitPattern: first.value)) == 1 else { return [0x3F] }
        return scalars.map(\.value)
    }

    /// An ASCII stand-in for the characters views draw with.
    static func asciiFallback(for scalar: Unicode.Scalar) -> UInt32 {
        switch scalar.value {
        case 0x2500, 0x2501, 0x2504, 0x2505, 0x2508, 0x2509, 0x254C, 0x254D, 0x2550:
            return 0x2D  // "-": horizontal lines
        case 0x2502, 0x2503, 0x2506, 0x2507, 0x250A, 0x250B, 0x254E, 0x254F, 0x2551:
            return 0x7C  // "|": vertical lines
        case 0x2500...0x257F:
            return 0x2B  // "+": corners, tees and crossings
        case 0x2580...0x259F:
            return 0x23  // "#": block elements (half blocks, shades)
        case 0x00B7, 0x2022, 0x2026:
            return 0x2E  // ".": middle dot, bullet, ellipsis
        default:
            return 0x3F  // "?"
        }
    }
}
