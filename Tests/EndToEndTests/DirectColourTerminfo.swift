import Foundation

/// A throwaway terminfo database holding `xterm-direct-check`: xterm-256color with ncurses'
/// direct-colour convention (`RGB`, 2^24 colours, colour numbers below 8 meaning the ANSI ones).
struct DirectColourTerminfo {
    static let name = "xterm-direct-check"
    let directory: URL

    /// Variables that make curses use the entry.
    var environment: [String] { ["TERMINFO=\(directory.path)", "TERM=\(Self.name)"] }

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("shufflescope-terminfo-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let source = directory.appendingPathComponent("direct.src")
        let setForeground = "\\E[%?%p1%{8}%<%t3%p1%d%e38;2;%p1%{65536}%/%d;%p1%{256}%/%{255}%&%d;%p1%{255}%&%d%;m"
        let setBackground = "\\E[%?%p1%{8}%<%t4%p1%d%e48;2;%p1%{65536}%/%d;%p1%{256}%/%{255}%&%d;%p1%{255}%&%d%;m"
        let entry = """
            \(Self.name)|xterm-256color with direct colour,
            \tcolors#0x1000000, pairs#0x10000, RGB,
            \tinitc@, ccc@, oc@, setf@, setb@,
            \tsetaf=\(setForeground),
            \tsetab=\(setBackground),
            \tuse=xterm-256color,

            """
        try entry.write(to: source, atomically: true, encoding: .utf8)
        let tic = ["/usr/bin/tic", "/bin/tic"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let tic else {
            throw EndToEndError(description: "tic (the terminfo compiler, package ncurses-bin) is not installed")
        }
        let result = try Subprocess.run(tic, ["-x", "-o", directory.path, source.path])
        guard result.status == 0 else {
            throw EndToEndError(description: "tic failed (status \(result.status)): \(result.errorOutput)")
        }
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
