import Foundation
import Testing

@testable import ShuffleModel

/// The checkpoints of Fixtures/pytorch (made by scripts/make_pytorch_fixtures.py) and their manifest.
enum PyTorchFixtures {
    struct Fixture: Decodable, CustomTestStringConvertible {
        var name: String
        var file: String
        var safetensors: String
        var architecture: String
        var format: String
        var wrapper: String?
        var prefix: String
        var dtype: String
        var shared: Bool
        var strided: Bool
        var untyped: Bool
        var parameters: Bool
        var deflated: Bool
        var optimizer: Bool
        var keys: Int
        var golden: String?
        var `protocol`: Int

        var url: URL { PyTorchFixtures.folder.appendingPathComponent(file) }
        var copyURL: URL { PyTorchFixtures.folder.appendingPathComponent(safetensors) }
        var testDescription: String { name }
    }

    struct Manifest: Decodable { var fixtures: [Fixture] }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/pytorch")

    static let all: [Fixture] = {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("manifest.json")),
            let manifest = try? JSONDecoder().decode(Manifest.self, from: data)
        else { return [] }
        return manifest.fixtures
    }()

    static var v1: [Fixture] { all.filter { $0.architecture == "v1" } }

    /// The raw little-endian bytes of a safetensors entry, read without the reader under test.
    static func safetensorsBytes(_ url: URL, key: String) throws -> (dtype: String, shape: [Int], bytes: [UInt8]) {
        let data = [UInt8](try Data(contentsOf: url))
        let length = data[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try JSONSerialization.jsonObject(with: Data(data[8..<(8 + length)])) as? [String: Any]
        guard let entry = header?[key] as? [String: Any], let dtype = entry["dtype"] as? String,
            let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int]
        else { throw FixtureError(description: "\(url.lastPathComponent) has no entry '\(key)'") }
        return (dtype, shape, Array(data[(8 + length + offsets[0])..<(8 + length + offsets[1])]))
    }

    struct FixtureError: Error, CustomStringConvertible { var description: String }
}
