import CNCurses
import Inspector
import Testing

@testable import TerminalBackend

@Suite struct KeyDecoderTests {
    private func character(_ value: UInt32) -> Key {
        KeyDecoder.decode(status: OK, value: value)
    }

    private func keyCode(_ code: Int32) -> Key {
        KeyDecoder.decode(status: KEY_CODE_YES, value: UInt32(bitPattern: code))
    }

    @Test func controlCharacters() {
        #expect(character(0x1B) == .escape)
        #expect(character(0x0D) == .enter)
        #expect(character(0x0A) == .enter)
        #expect(character(0x09) == .tab)
        #expect(character(0x7F) == .backspace)
        #expect(character(0x08) == .backspace)
        #expect(character(0x03) == .control("c"))
        #expect(character(0x01) == .control("a"))
        #expect(character(0x1A) == .control("z"))
        #expect(character(0x00) == .unknown(0))
        #expect(character(0x1C) == .unknown(0x1C))
        #expect(character(0x85) == .unknown(0x85))
    }

    @Test func printableCharacters() {
        #expect(character(0x71) == .character("q"))
        #expect(character(0x20) == .character(" "))
        #expect(character(0xE9) == .character("é"))
        #expect(character(0x1F600) == .character("😀"))
        // A surrogate is not a Unicode scalar.
        #expect(character(0xD800) == .unknown(0xD800))
    }

    @Test func keyCodes() {
        #expect(keyCode(KEY_UP) == .up)
        #expect(keyCode(KEY_DOWN) == .down)
        #expect(keyCode(KEY_LEFT) == .left)
        #expect(keyCode(KEY_RIGHT) == .right)
        #expect(keyCode(KEY_PPAGE) == .pageUp)
        #expect(keyCode(KEY_NPAGE) == .pageDown)
        #expect(keyCode(KEY_HOME) == .home)
        #expect(keyCode(KEY_FIND) == .home)
        #expect(keyCode(KEY_END) == .end)
        #expect(keyCode(KEY_SELECT) == .end)
        #expect(keyCode(KEY_ENTER) == .enter)
        #expect(keyCode(KEY_BACKSPACE) == .backspace)
        #expect(keyCode(KEY_BTAB) == .backTab)
        #expect(keyCode(KEY_RESIZE) == .resize)
        #expect(keyCode(KEY_F0 + 1) == .function(1))
        #expect(keyCode(KEY_F0 + 12) == .function(12))
        #expect(keyCode(KEY_DC) == .unknown(KEY_DC))
        #expect(keyCode(KEY_F0) == .unknown(KEY_F0))
    }
}
