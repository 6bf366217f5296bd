import Glibc
import Testing

@testable import TerminalBackend

@Suite struct CellCharacterTests {
    @Test func utf8Locale() throws {
        // Column widths come from the C library, which needs a UTF-8 character type.
        try #require(setlocale(LC_CTYPE, "C.UTF-8") != nil, "the C.UTF-8 locale is missing")
        #expect(CellCharacter.scalars(for: "a", localeIsUTF8: true) == [0x61])
        #expect(CellCharacter.scalars(for: "▀", localeIsUTF8: true) == [0x2580])
        #expect(CellCharacter.scalars(for: "·", localeIsUTF8: true) == [0xB7])
        #expect(CellCharacter.scalars(for: "e\u{301}", localeIsUTF8: true) == [0x65, 0x301])
        // Two columns wide, or a control character: replaced to keep one character per column.
        #expect(CellCharacter.scalars(for: "中", localeIsUTF8: true) == [0x3F])
        #expect(CellCharacter.scalars(for: "\u{1B}", localeIsUTF8: true) == [0x3F])
    }

    @Test func asciiFallbacksOutsideUTF8() {
        #expect(CellCharacter.scalars(for: "a", localeIsUTF8: false) == [0x61])
        #expect(CellCharacter.scalars(for: "─", localeIsUTF8: false) == [0x2D])
        #expect(CellCharacter.scalars(for: "│", localeIsUTF8: false) == [0x7C])
        #expect(CellCharacter.scalars(for: "┌", localeIsUTF8: false) == [0x2B])
        #expect(CellCharacter.scalars(for: "▄", localeIsUTF8: false) == [0x23])
        #expect(CellCharacter.scalars(for: "·", localeIsUTF8: false) == [0x2E])
        #expect(CellCharacter.scalars(for: "é", localeIsUTF8: false) == [0x3F])
        #expect(CellCharacter.scalars(for: "e\u{301}", localeIsUTF8: false) == [0x65])
    }

    @Test func terminfoPaddingIsDropped() {
        #expect(CursesSession.withoutPadding(Array("\u{1B}[m$<2>".utf8)) == Array("\u{1B}[m".utf8))
        #expect(CursesSession.withoutPadding(Array("$<5/*>x$<1>".utf8)) == Array("x".utf8))
        #expect(CursesSession.withoutPadding(Array("a$b$<3".utf8)) == Array("a$b$<3".utf8))
    }
}
