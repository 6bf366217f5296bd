import Foundation

/// Where `swift build` / `swift test` put the `shufflescope` executable, and how to start it in a
/// terminal with a known environment.
enum ShufflescopeBinary {
    /// Next to the test bundle (the same build directory), else `.build/debug` of this package.
    static func url() throws -> URL {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("shufflescope"))
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("shufflescope"))
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/shufflescope"))
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        throw EndToEndError(
            description: "the shufflescope executable was not found (looked at \(candidates.map(\.path))); run `swift build` first")
    }

    /// A command line for `TmuxSession`: runs `shufflescope arguments` with a fixed terminal
    /// type and UTF-8 locale plus `environment`, then prints `EXIT=<status>` and `TTY=sane` or
    /// `TTY=raw` (whether echo and canonical input are back on), so a test can read from the
    /// pane how the program ended and what it left behind. The pane then stays alive (until the
    /// server is killed) because tmux resets a dead pane's modes, cursor visibility included.
    static func wrapped(_ arguments: [String], environment: [String] = [], redirect: String = "") throws -> [String] {
        let script = """
            "$0" "$@" \(redirect)
            echo "EXIT=$?"
            if stty -a | tr ' ;' '\\n\\n' | grep -qx -e -echo -e -icanon; then echo TTY=raw; else echo TTY=sane; fi
            exec sleep 60
            """
        return ["env", "-u", "NO_COLOR", "-u", "COLORTERM", "-u", "LC_ALL", "TERM=tmux-256color", "LANG=C.UTF-8"]
            + Subprocess.noCheckpoints.map { "\($0.key)=\($0.value)" } + environment + ["/bin/sh", "-c", script, try url().path] + arguments
    }
}
