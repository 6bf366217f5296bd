/// A key press, decoded from the terminal by a backend or written by a test.
public enum Key: Hashable, Sendable {
    case character(Character)
    /// Ctrl + a letter (`control("c")` is Ctrl-C).
    case control(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, backspace, tab, backTab
    case function(Int)
    /// The terminal changed size.
    case resize
    /// A mouse click at a cell (optional support).
    case mouse(x: Int, y: Int)
    /// Anything else the terminal sent; must be ignored, never crash.
    case unknown(Int32)
}
