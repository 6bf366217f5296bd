import Foundation
import ShuffleEngine

/// Reads a directory of step outputs: `index.json` = `{"steps": [{"name", "source", "file", "shape"}]}`
/// and one `.npy` per step, as `infer --dump` and `scripts/dump_pytorch_steps.py` write them.
/// `source` may be null or absent; `shape`, when present, must match the array's.
public enum StepDumpReader {
    public static func read(directory: URL, label: String? = nil) throws -> RunTrace {
        let indexURL = directory.appendingPathComponent("index.json")
        guard let data = FileManager.default.contents(atPath: indexURL.path) else {
            throw DiffError.missingIndex(directory: directory.path)
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw DiffError.malformedIndex(file: indexURL.path, reason: "invalid JSON")
        }
        guard let root = object as? [String: Any], let entries = root["steps"] as? [[String: Any]] else {
            throw DiffError.malformedIndex(file: indexURL.path, reason: "expected an object with a \"steps\" array of objects")
        }
        var steps: [StepRecord] = []
        for (position, entry) in entries.enumerated() {
            guard let name = entry["name"] as? String, let file = entry["file"] as? String else {
                throw DiffError.malformedIndex(file: indexURL.path, reason: "step \(position) lacks a \"name\" or \"file\" string")
            }
            guard !file.contains("/"), !file.hasPrefix(".") else {
                throw DiffError.malformedIndex(file: indexURL.path, reason: "step \(name): file \"\(file)\" is not a plain file name")
            }
            let url = directory.appendingPathComponent(file)
            let array = try Npy.read(url: url)
            if let shape = entry["shape"] as? [Int], shape.reduce(1, *) != array.values.count {
                throw DiffError.shapeMismatch(file: url.path, expected: shape, actual: array.shape)
            }
            steps.append(StepRecord(name: name, source: entry["source"] as? String, dims: array.shape, values: array.values))
        }
        return RunTrace(label: label ?? directory.lastPathComponent + "/", steps: steps)
    }

    /// Whether `url` is a directory (a dump) rather than a weights file.
    public static func isDump(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
