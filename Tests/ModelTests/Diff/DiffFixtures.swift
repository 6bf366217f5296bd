import Foundation
import ShuffleEngine

@testable import ShuffleModel

/// Paths of the committed fixtures the diff tests read (scripts/make_diff_fixtures.py).
enum DiffFixtures {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static let folder = fixtures.appendingPathComponent("diff")

    static func array(_ name: String) throws -> NpyArray { try Npy.read(url: folder.appendingPathComponent(name)) }

    /// A golden checkpoint (`g3_reduced`, `v2/tv_f32`) and its input.
    static func run(_ name: String, shuffle: ShuffleConvention? = nil, precision: Precision = .f32) -> RunDescription {
        RunDescription(
            path: fixtures.appendingPathComponent(name + ".safetensors"),
            input: fixtures.appendingPathComponent(name + ".input.npy"), shuffle: shuffle, precision: precision)
    }
}
