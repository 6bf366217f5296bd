import Foundation
import Testing

/// Compares `text` with `Snapshots/<name>.txt`. Set `INSPECTOR_RECORD_SNAPSHOTS=1` to (re)write the
/// files instead. A mismatch reports every differing line as `-expected` / `+actual`.
func expectSnapshot(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Snapshots")
    let file = directory.appendingPathComponent(name + ".txt")
    if ProcessInfo.processInfo.environment["INSPECTOR_RECORD_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? (text + "\n").write(to: file, atomically: true, encoding: .utf8)
        return
    }
    guard let stored = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record("missing snapshot \(name).txt; run with INSPECTOR_RECORD_SNAPSHOTS=1 to record it", sourceLocation: sourceLocation)
        return
    }
    let expected = stored.hasSuffix("\n") ? String(stored.dropLast()) : stored
    guard expected != text else { return }
    Issue.record(Comment(rawValue: "snapshot \(name) differs:\n" + lineDiff(expected: expected, actual: text)), sourceLocation: sourceLocation)
}

/// Differing lines, numbered, as `-expected` / `+actual` pairs (at most 40 lines of report).
func lineDiff(expected: String, actual: String) -> String {
    let a = expected.components(separatedBy: "\n"), b = actual.components(separatedBy: "\n")
    var report: [String] = []
    for i in 0..<max(a.count, b.count) where a[safe: i] != b[safe: i] {
        report.append(String(format: "%3d -", i + 1) + (a[safe: i] ?? "<none>"))
        report.append(String(format: "%3d +", i + 1) + (b[safe: i] ?? "<none>"))
        if report.count >= 40 { report.append("…"); break }
    }
    return report.joined(separator: "\n")
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
