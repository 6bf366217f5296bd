import Foundation

/// An error of the end-to-end harness, with the screen or output that explains it.
struct EndToEndError: Error, CustomStringConvertible {
    let description: String
}

/// A private tmux server (its own socket file, no user configuration) running one command in one
/// pane of a fixed size. Call `kill()` in a `defer`, so no server outlives its test.
final class TmuxSession {
    let socketPath: String
    /// The one session on the server, used as the target of every command.
    let sessionName = "check"
    private let tmux: URL

    /// Starts `arguments` (run directly, not through a shell) in a detached `width`×`height` pane.
    /// The pane stays after the command ends, so its last screen and exit status can be read.
    init(arguments: [String], width: Int, height: Int) throws {
        tmux = try Self.findTmux()
        socketPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("shufflescope-tmux-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try run(
            ["-f", "/dev/null", "new-session", "-d", "-s", sessionName, "-x", "\(width)", "-y", "\(height)", "--"] + arguments
                + [";", "set-option", "-g", "remain-on-exit", "on"])
    }

    /// Stops the server and everything running in it, and removes its socket. Safe to call twice.
    func kill() {
        _ = try? run(["kill-server"])
        try? FileManager.default.removeItem(atPath: socketPath)
    }

    /// Sends tmux key names ("Up", "Escape", "C-c") or literal characters ("a").
    func sendKeys(_ keys: String...) throws {
        try run(["send-keys", "-t", sessionName] + keys)
    }

    /// The pane's text, scrollback included and wrapped lines joined; with `escapes`, its
    /// colours and attributes as SGR sequences. (When the command ends, tmux scrolls the pane
    /// by a line to print "Pane is dead", so the first line moves into the scrollback.)
    func capture(escapes: Bool = false) throws -> String {
        try run(["capture-pane", "-p", "-J", "-S", "-", "-t", sessionName] + (escapes ? ["-e"] : []))
    }

    /// Expands a tmux format (e.g. "#{pane_dead}") for the pane.
    func display(_ format: String) throws -> String {
        try run(["display-message", "-p", "-t", sessionName, format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", sessionName, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Polls the screen every 50 ms until it contains every one of `texts`; fails after
    /// `seconds` with the last screen in the message. Returns that screen.
    @discardableResult
    func waitForText(_ texts: String..., seconds: Double = 10) throws -> String {
        try waitUntil("the screen shows \(texts)", seconds: seconds) { screen in
            texts.allSatisfy { screen.contains($0) }
        }
    }

    @discardableResult
    func waitUntil(_ what: String, seconds: Double = 10, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var screen = ""
        while true {
            screen = try capture()
            if condition(screen) { return screen }
            if Date() > deadline { break }
            usleep(50_000)
        }
        throw EndToEndError(description: "timed out waiting until \(what); last screen:\n\(screen)")
    }

    @discardableResult
    private func run(_ arguments: [String]) throws -> String {
        let result = try Subprocess.run(tmux.path, ["-S", socketPath] + arguments)
        guard result.status == 0 else {
            throw EndToEndError(
                description: "tmux \(arguments.joined(separator: " ")) failed (status \(result.status)): \(result.errorOutput)")
        }
        return result.output
    }

    private static func findTmux() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("tmux")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw EndToEndError(
            description: "tmux is not installed: the end-to-end terminal tests drive the program inside tmux "
                + "(install it, e.g. apt-get install tmux)")
    }
}
