/// What an interactive program gives a terminal backend: draw a frame, take a key.
///
/// The backend owns the terminal (curses, signals, resizes); the application owns all state.
/// This split keeps every piece of behaviour testable without a terminal.
public protocol TerminalApplication: AnyObject {
    /// Draws the whole screen at this size. Must cope with any size down to 1×1 (and 0×0).
    func render(width: Int, height: Int, colorMode: ColorMode) -> CellGrid
    /// Handles one key press (or a resize).
    func handle(_ key: Key) -> ApplicationResponse
    /// True while the application has background work (e.g. repeated profiling runs) and wants
    /// `tick()` called every `tickMilliseconds`; false lets the backend block on input (zero
    /// idle CPU).
    var isBusy: Bool { get }
    /// How long the backend waits for a key before calling `tick()` while busy: about 100 ms for
    /// work in the background, 0 (tick as soon as the frame is drawn) for work the user waits for.
    var tickMilliseconds: Int { get }
    /// Advances background work by a small slice; returns true if the screen should be redrawn.
    func tick() -> Bool
    /// Told once, before the first frame, which colour mode the terminal shows, and why it is
    /// poorer than the one asked for (nil when the request was honoured).
    func colorModeChosen(_ mode: ColorMode, notice: String?)
}

extension TerminalApplication {
    public var tickMilliseconds: Int { 100 }
    public func colorModeChosen(_ mode: ColorMode, notice: String?) {}
}

public enum ApplicationResponse: Sendable, Equatable {
    /// Redraw the frame.
    case redraw
    /// Nothing changed.
    case ignore
    /// Leave, restoring the terminal; the process exits with status 0.
    case quit
}
