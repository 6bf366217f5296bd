/// Everything that can go wrong reading, checking or writing a weights file.
///
/// Every message names the file, and where one is involved the tensor key and the shapes, so
/// a user can tell a damaged download from a checkpoint of another network.
public enum WeightsError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadableFile(file: String, reason: String)
    /// The bytes are not a safetensors file at all (an image, an archive, random bytes).
    case notSafetensors(file: String, detail: String)
    /// The file ends before the data its header describes.
    case truncated(file: String, expectedBytes: Int, actualBytes: Int)
    /// The header length field exceeds the format's 100 MB limit.
    case headerTooLarge(file: String, headerBytes: UInt64, limit: Int)
    /// The header length field points past the end of the file.
    case headerBeyondFile(file: String, headerBytes: UInt64, fileBytes: Int)
    /// The header is not the JSON object the format prescribes.
    case invalidHeader(file: String, reason: String)
    /// A tensor's `data_offsets` reach outside the data section.
    case offsetsOutOfRange(file: String, key: String, offsets: [Int], dataBytes: Int)
    /// A tensor's byte range does not hold `shape × dtype` bytes.
    case offsetsInconsistent(file: String, key: String, offsets: [Int], shape: [Int], dtype: String)
    /// A tensor the network needs is stored in a type that does not decode to Float.
    case unsupportedDtype(file: String, key: String, dtype: String)
    /// The keys fit none of the ShuffleNet layouts the program knows.
    case unrecognizedLayout(file: String, sampleKeys: [String])
    /// Keys the network needs are absent (`network` names it when known: `ShuffleNet v1`).
    case missingKeys(file: String, network: String?, keys: [String])
    /// Keys the network does not have are present.
    case unexpectedKeys(file: String, network: String?, keys: [String])
    /// Two keys name the same tensor once the `module.` prefix is removed.
    case duplicateKeys(file: String, keys: [String])
    /// A tensor's shape differs from what the inferred configuration needs.
    case shapeMismatch(file: String, key: String, expected: [Int], actual: [Int])
    /// The shapes describe a network this program cannot build (e.g. a group count it does not support).
    case unsupportedLayout(file: String, key: String, shape: [Int], reason: String)
    /// A weight is NaN or infinite.
    case nonFiniteValue(file: String, key: String, index: Int, value: Float)
    /// A batch-norm running variance is negative, so folding it would take a square root of a negative number.
    case negativeVariance(file: String, key: String, index: Int, value: Float)
    /// The file holds another configuration than the one asked for.
    case configurationMismatch(file: String, requested: String, found: String)
    /// Writing a weights file failed.
    case writeFailed(file: String, reason: String)

    // PyTorch checkpoints and telling formats apart.
    /// The bytes are none of the formats the program reads (safetensors, PyTorch zip, legacy PyTorch).
    case unknownFormat(file: String, detail: String)
    /// A checkpoint's pickle names a Python global outside the allow-list. Nothing was run.
    case forbiddenGlobal(file: String, name: String)
    /// A checkpoint's pickle is damaged, or uses an opcode no checkpoint needs.
    case malformedPickle(file: String, offset: Int, reason: String)
    /// The container around the pickle is damaged: zip directory, entry sizes, CRC, legacy layout.
    case malformedArchive(file: String, reason: String)
    /// A tensor's storage is missing or too small for it.
    case malformedTensor(file: String, key: String, reason: String)
    /// The checkpoint holds no dict of tensors to read weights from.
    case noStateDict(file: String, reason: String)

    public var description: String {
        switch self {
        case .unreadableFile(let file, let reason):
            return "cannot read weights file '\(file)': \(reason)"
        case .notSafetensors(let file, let detail):
            return "'\(file)' is not a safetensors file: \(detail)"
        case .truncated(let file, let expected, let actual):
            return "'\(file)' is truncated: its header makes it \(expected) bytes long, but it has \(actual)"
        case .headerTooLarge(let file, let header, let limit):
            return "'\(file)' declares a \(header)-byte header, over the format's \(limit)-byte limit"
        case .headerBeyondFile(let file, let header, let size):
            return "'\(file)' declares a \(header)-byte header but the whole file is \(size) bytes"
        case .invalidHeader(let file, let reason):
            return "'\(file)' has an invalid safetensors header: \(reason)"
        case .offsetsOutOfRange(let file, let key, let offsets, let dataBytes):
            return "'\(file)': tensor '\(key)' has data_offsets \(offsets) outside the \(dataBytes)-byte data section"
        case .offsetsInconsistent(let file, let key, let offsets, let shape, let dtype):
            let stored = offsets.count == 2 ? offsets[1] - offsets[0] : 0
            return
                "'\(file)': tensor '\(key)' has data_offsets \(offsets) (\(stored) bytes), which does not fit shape \(shape) of \(dtype)"
        case .unsupportedDtype(let file, let key, let dtype):
            return "'\(file)': tensor '\(key)' is stored as \(dtype); only F32, F16, BF16 and F64 are supported"
        case .unrecognizedLayout(let file, let sampleKeys):
            let sample = Self.list(sampleKeys, limit: 4)
            return
                "'\(file)' is not a ShuffleNet checkpoint: its keys fit none of ShuffleNet v1, v2 (torchvision) or v2 (the authors') (it has \(sample))"
        case .missingKeys(let file, let network, let keys):
            let what = network.map { "\($0) " } ?? ""
            return "'\(file)' lacks \(keys.count) \(what)key\(keys.count == 1 ? "" : "s"): \(Self.list(keys, limit: 6))"
        case .unexpectedKeys(let file, let network, let keys):
            let what = network ?? "the network"
            return
                "'\(file)' has \(keys.count) key\(keys.count == 1 ? "" : "s") \(what) does not: \(Self.list(keys, limit: 6))"
        case .duplicateKeys(let file, let keys):
            return "'\(file)' names the same tensor twice (with and without 'module.'): \(Self.list(keys, limit: 6))"
        case .shapeMismatch(let file, let key, let expected, let actual):
            return "'\(file)': tensor '\(key)' has shape \(actual), expected \(expected)"
        case .unsupportedLayout(let file, let key, let shape, let reason):
            return "'\(file)': tensor '\(key)' of shape \(shape) \(reason)"
        case .nonFiniteValue(let file, let key, let index, let value):
            return "'\(file)': tensor '\(key)' holds \(value) at element \(index)"
        case .negativeVariance(let file, let key, let index, let value):
            return "'\(file)': batch-norm variance '\(key)' is negative (\(value)) at element \(index)"
        case .configurationMismatch(let file, let requested, let found):
            return "'\(file)' holds \(found), but \(requested) was requested"
        case .writeFailed(let file, let reason):
            return "cannot write weights file '\(file)': \(reason)"
        case .unknownFormat(let file, let detail):
            return "'\(file)' is not a weights file shufflescope reads (safetensors or a PyTorch checkpoint): \(detail)"
        case .forbiddenGlobal(let file, let name):
            return "'\(file)' refers to the Python global '\(name)', which no weights file needs: refused, nothing was run"
        case .malformedPickle(let file, let offset, let reason):
            return "'\(file)' is not a readable PyTorch checkpoint: its pickle fails at byte \(offset): \(reason)"
        case .malformedArchive(let file, let reason):
            return "'\(file)' is a damaged PyTorch checkpoint: \(reason)"
        case .malformedTensor(let file, let key, let reason):
            return "'\(file)': tensor '\(key)' \(reason)"
        case .noStateDict(let file, let reason):
            return "'\(file)' holds no state dict: \(reason)"
        }
    }

    /// `a, b, c and 5 more`.
    private static func list(_ items: [String], limit: Int) -> String {
        if items.isEmpty { return "no keys" }
        let shown = items.prefix(limit).joined(separator: ", ")
        return items.count > limit ? "\(shown) and \(items.count - limit) more" : shown
    }
}
