import Foundation
import Testing

/// Locates the repository and the test fixtures from this source file's path, so the tests
/// run from any working directory without declaring resources.
enum Fixtures {
    /// `Tests/ModelTests/Data`.
    static let dataDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Data")
    /// The repository root (two levels above `Tests/ModelTests`).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func data(_ relativePath: String) -> URL {
        dataDirectory.appendingPathComponent(relativePath)
    }

    static func asset(_ name: String) -> URL {
        repositoryRoot.appendingPathComponent("assets").appendingPathComponent(name)
    }

    static func bytes(_ url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }

    /// A fresh empty directory under the system temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("shufflescope-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

@Suite struct InputFixturesTests {
    @Test func fixtureDirectoryIsFound() {
        #expect(FileManager.default.fileExists(atPath: Fixtures.data("npy/ramp_v1.npy").path))
        #expect(FileManager.default.fileExists(atPath: Fixtures.repositoryRoot.appendingPathComponent("Package.swift").path))
    }
}
