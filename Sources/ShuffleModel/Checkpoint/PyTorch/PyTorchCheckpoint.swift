import Foundation

/// A checkpoint written by `torch.save`, read without Python and without running anything.
///
/// Two containers (the format is told from the bytes): the zip archive of PyTorch ≥ 1.6
/// (`<root>/data.pkl` plus one `<root>/data/<key>` entry per storage) and the legacy single file
/// of older releases (magic number, protocol, system info, the object pickle, the storage keys,
/// then each storage's bytes). In both, the object is read by the restricted `Unpickler`, the
/// state dict is located in it (`StateDictLocator`), and every tensor of the state dict is checked
/// against its storage's bytes at open time. Values are decoded only by `floats(_:)`.
public struct PyTorchCheckpoint: TensorArchive {
    public enum Format: String, Sendable {
        case zip = "PyTorch zip"
        case legacy = "legacy PyTorch"
    }

    /// Where one storage's bytes are.
    enum StorageLocation: Sendable {
        /// A zip entry (stored or deflated).
        case entry(ZipArchive.Entry)
        /// A byte range of the file (legacy format).
        case range(Range<Int>)
    }

    public let path: String
    public let format: Format
    /// PyTorch checkpoints carry no string metadata.
    public var metadata: [String: String] { [:] }
    public let shapes: [String: [Int]]
    /// The state dict's keys in stored order.
    public let keys: [String]
    let tensors: [String: TensorReference]
    let storages: [String: StorageLocation]
    let bytes: Data

    /// Memory-maps and checks the file at `url`.
    public init(contentsOf url: URL) throws(WeightsError) {
        try self.init(bytes: try TensorArchives.fileBytes(url), path: url.path)
    }

    /// Checks `bytes` as a PyTorch checkpoint; `path` labels errors.
    public init(bytes: Data, path: String) throws(WeightsError) {
        let parsed: Parsed
        if bytes.starts(with: ZipContainer.signature) {
            parsed = try ZipContainer.parse(bytes, path: path)
        } else {
            parsed = try LegacyContainer.parse(bytes, path: path)
        }
        self.path = path
        self.bytes = bytes
        self.format = parsed.format
        self.keys = parsed.tensors.map(\.0)
        var tensors: [String: TensorReference] = [:]
        for (key, tensor) in parsed.tensors { tensors[key] = tensor }
        self.tensors = tensors
        self.shapes = tensors.mapValues(\.shape)
        self.storages = parsed.storages
    }

    /// What a container reader hands over: the state dict's tensors and where their storages are.
    struct Parsed {
        var format: Format
        var tensors: [(String, TensorReference)]
        var storages: [String: StorageLocation]
    }

    /// The element type a tensor is stored in (`I64` for batch-norm counters).
    public func dtype(_ key: String) -> SafeTensorsDType? { tensors[key]?.dtype }

    /// Decodes the tensor `key` to Float, row-major, following its strides through its storage.
    public func floats(_ key: String) throws(WeightsError) -> ParameterTensor {
        guard let tensor = tensors[key] else { throw .missingKeys(file: path, network: nil, keys: [key]) }
        guard tensor.dtype.decodesToFloat else {
            throw .unsupportedDtype(file: path, key: key, dtype: tensor.dtype.rawValue)
        }
        let values = try withElements(key, tensor) { raw, indices in
            indices.map { TensorDecoding.float(raw, element: $0, dtype: tensor.dtype) }
        }
        return ParameterTensor(shape: tensor.shape, values: values)
    }

    /// The tensor `key` as contiguous little-endian bytes of its own type (any type), row-major.
    public func storedBytes(_ key: String) throws(WeightsError) -> (dtype: SafeTensorsDType, shape: [Int], bytes: [UInt8]) {
        guard let tensor = tensors[key] else { throw .missingKeys(file: path, network: nil, keys: [key]) }
        let size = tensor.dtype.byteSize
        let bytes = try withElements(key, tensor) { raw, indices in
            if tensor.isContiguous { return Array(raw[(tensor.offset * size)..<((tensor.offset + indices.count) * size)]) }
            var out = [UInt8]()
            out.reserveCapacity(indices.count * size)
            indices.forEach { index in out.append(contentsOf: raw[(index * size)..<(index * size + size)]) }
            return out
        }
        return (tensor.dtype, tensor.shape, bytes)
    }

    /// Calls `body` with the tensor's storage bytes and the storage element of each of its
    /// elements (a range for a contiguous tensor), after checking (again) that every one lies
    /// inside the bytes.
    private func withElements<Result>(
        _ key: String, _ tensor: TensorReference, _ body: (UnsafeRawBufferPointer, ElementOrder) -> Result
    ) throws(WeightsError) -> Result {
        guard let location = storages[tensor.storage.key] else {
            throw .malformedTensor(file: path, key: key, reason: "has no storage '\(tensor.storage.key)' in the file")
        }
        let indices = ElementOrder(tensor)
        let needed = (indices.last + 1) * tensor.dtype.byteSize
        let path = self.path
        let outcome: Swift.Result<Result, WeightsError> = bytes.withUnsafeBytes { (file: UnsafeRawBufferPointer) in
            func run(_ raw: UnsafeRawBufferPointer) -> Swift.Result<Result, WeightsError> {
                guard needed <= raw.count else {
                    return .failure(
                        .malformedTensor(
                            file: path, key: key,
                            reason: "needs \(needed) bytes of storage '\(tensor.storage.key)', which has \(raw.count)"))
                }
                return .success(body(raw, indices))
            }
            switch location {
            case .range(let range):
                return run(UnsafeRawBufferPointer(rebasing: file[range]))
            case .entry(let entry):
                do throws(ZipArchive.Failure) {
                    return try ZipArchive.withContents(of: entry, in: file, run)
                } catch {
                    return .failure(.malformedArchive(file: path, reason: error.reason))
                }
            }
        }
        return try outcome.get()
    }
}

/// The storage element of each element of a tensor, in row-major order: a range when the tensor
/// is contiguous (no index array allocated), else one index per element.
struct ElementOrder {
    private let range: Range<Int>?
    private let list: [Int]
    let count: Int
    /// The largest storage element used, -1 for an empty tensor.
    let last: Int

    init(_ tensor: TensorReference) {
        if tensor.isContiguous {
            range = tensor.offset..<(tensor.offset + tensor.elementCount)
            list = []
            count = tensor.elementCount
            last = count == 0 ? -1 : tensor.offset + count - 1
        } else {
            range = nil
            list = tensor.storageIndices()
            count = list.count
            last = list.max() ?? -1
        }
    }

    func map<T>(_ transform: (Int) -> T) -> [T] {
        if let range { return range.map(transform) }
        return list.map(transform)
    }

    func forEach(_ body: (Int) -> Void) {
        if let range { range.forEach(body) } else { list.forEach(body) }
    }
}
