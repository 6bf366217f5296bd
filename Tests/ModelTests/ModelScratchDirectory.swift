import Foundation

/// A fresh directory for one test's files, removed when the value is released.
final class ModelScratchDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("model-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `data` to `name` inside the directory and returns its URL.
    func file(_ name: String, _ data: Data) throws -> URL {
        let file = url.appendingPathComponent(name)
        try data.write(to: file)
        return file
    }
}

/// Safetensors bytes built by hand, independent of the writer under test.
enum HandMadeSafetensors {
    /// Length field, header text, data.
    static func file(header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> Data {
        let headerBytes = Array(header.utf8)
        var bytes = Data()
        withUnsafeBytes(of: (declaredLength ?? UInt64(headerBytes.count)).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: headerBytes)
        bytes.append(contentsOf: data)
        return bytes
    }

    /// Little-endian bytes of Float32 values.
    static func bytes(_ values: [Float]) -> [UInt8] {
        values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
    }
}
