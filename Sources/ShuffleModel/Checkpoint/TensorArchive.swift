import Foundation

/// A file of named tensors, whatever its format (safetensors, PyTorch, ...), opened and checked
/// so that every key's shape is known before any tensor is decoded.
///
/// Architectures read checkpoints only through this protocol: they look at `shapes` to decide
/// what network the file holds, then decode the tensors they need with `floats(_:)`.
public protocol TensorArchive: Sendable {
    /// The file path (or a label for in-memory data), used in every error.
    var path: String { get }
    /// String metadata the file carries (safetensors' `__metadata__`); empty when it has none.
    var metadata: [String: String] { get }
    /// Every tensor's key and shape, integer counters included, keys exactly as stored.
    var shapes: [String: [Int]] { get }
    /// Decodes the tensor `key` to Float, row-major in `shapes[key]`'s order.
    func floats(_ key: String) throws(WeightsError) -> ParameterTensor
}

extension SafeTensorsFile: TensorArchive {
    public var shapes: [String: [Int]] { entries.mapValues(\.shape) }
}

/// Opens weights files of every format the program reads, deciding the format from the bytes.
public enum TensorArchives {
    /// The formats, as told apart by their first bytes.
    public enum Format: String, Sendable {
        case safetensors
        case pytorchZip = "PyTorch zip"
        case pytorchLegacy = "legacy PyTorch"
    }

    /// Opens the file at `url` as safetensors or a PyTorch checkpoint (zip or legacy), whatever its name.
    public static func open(_ url: URL) throws(WeightsError) -> any TensorArchive {
        try open(bytes: try fileBytes(url), path: url.path)
    }

    /// Opens a file's contents; `path` labels errors.
    public static func open(bytes: Data, path: String) throws(WeightsError) -> any TensorArchive {
        switch try format(of: bytes, path: path) {
        case .safetensors: return try SafeTensorsFile(bytes: bytes, path: path)
        case .pytorchZip, .pytorchLegacy: return try PyTorchCheckpoint(bytes: bytes, path: path)
        }
    }

    /// Which format `bytes` are in: a zip's local-header magic, a pickle's PROTO opcode followed by
    /// the legacy magic number, or safetensors' length field followed by `{`.
    public static func format(of bytes: Data, path: String) throws(WeightsError) -> Format {
        let head = [UInt8](bytes.prefix(32))
        if head.starts(with: ZipContainer.signature) { return .pytorchZip }
        // PROTO n, then (after a protocol-4 FRAME) LONG1 of the 10-byte magic number.
        let magic = [0x8A, 0x0A] + LegacyContainer.magic
        if head.count >= 14, head[0] == 0x80,
            [2, 11].contains(where: { head.count >= $0 + magic.count && Array(head[$0..<($0 + magic.count)]) == magic })
        {
            return .pytorchLegacy
        }
        if head.count >= 9, head[8] == UInt8(ascii: "{") { return .safetensors }
        let detail: String
        if head.isEmpty {
            detail = "it is empty"
        } else if head.starts(with: [0x50, 0x4B]) {
            detail = "it is a zip archive without a local file header at its start"
        } else if head[0] == 0x80 {
            detail = "it is a Python pickle, but not one written by torch.save"
        } else if let named = SafeTensorsHeader.recognisedFormat(head) {
            detail = named  // an image, a NumPy array, ...
        } else {
            detail = "it starts with " + head.prefix(8).map { String(format: "%02x", $0) }.joined(separator: " ")
        }
        throw .unknownFormat(file: path, detail: detail)
    }

    /// The whole file, read through `FileReader` (regular files only, size known before reading,
    /// at most `SafeTensorsFile.maximumFileBytes`), with its failures as `WeightsError`s.
    static func fileBytes(_ url: URL) throws(WeightsError) -> Data {
        do {
            return try FileReader.data(at: url, maximumBytes: SafeTensorsFile.maximumFileBytes)
        } catch {
            throw .unreadableFile(file: url.path, reason: error.reason)
        }
    }
}
