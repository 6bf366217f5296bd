/// Why two runs cannot be compared; each case names the file or option at fault.
public enum DiffError: Error, Equatable, CustomStringConvertible {
    /// A dump directory without a readable `index.json`.
    case missingIndex(directory: String)
    /// `index.json` is not `{"steps": [{"name", "file", ...}]}`.
    case malformedIndex(file: String, reason: String)
    /// A step's array does not hold as many values as `index.json` says.
    case shapeMismatch(file: String, expected: [Int], actual: [Int])
    /// The int8 simulation needs a range for every step of the graph it runs.
    case missingCalibration(step: String)

    public var description: String {
        switch self {
        case .missingIndex(let directory):
            return "\(directory): not a step dump (no index.json; write one with `infer --dump` or scripts/dump_pytorch_steps.py)"
        case .malformedIndex(let file, let reason):
            return "\(file): not a step index: \(reason)"
        case .shapeMismatch(let file, let expected, let actual):
            return "\(file): index.json gives shape \(expected), the array has \(actual)"
        case .missingCalibration(let step):
            return "int8 simulation: no calibration range for step \(step)"
        }
    }
}
