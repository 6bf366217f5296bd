import Foundation

/// A checkpoint's tensors under the names an architecture looks for: the `module.` prefix of
/// `nn.DataParallel` removed and batch-norm `num_batches_tracked` counters dropped. Shapes are
/// known at once; values are decoded when asked for (from the file) or held (seeded weights).
public struct CheckpointTensors: Sendable {
    /// Prefix `nn.DataParallel` adds to every key.
    public static let dataParallelPrefix = "module."
    /// Suffix of the batch-norm counter that loading skips.
    public static let ignoredSuffix = ".num_batches_tracked"
    /// Metadata key marking weights this program generated rather than trained.
    public static let originMetadataKey = "shufflescope.weights"
    /// Its value for seeded weights.
    public static let seededMarker = "seeded (untrained)"

    private enum Storage: Sendable {
        case archive(any TensorArchive, keys: [String: String])
        case memory([String: ParameterTensor])
    }

    /// The file path, or a label such as `seeded weights`; every error names it.
    public let origin: String
    /// The file's string metadata.
    public let metadata: [String: String]
    /// Shape of every tensor by its normalised key.
    public let shapes: [String: [Int]]
    private let storage: Storage

    /// The tensors of `archive`, keys normalised. Two keys that normalise alike are an error.
    public init(archive: any TensorArchive) throws(WeightsError) {
        var keys: [String: String] = [:]  // normalised key -> key in the file
        var duplicates: [String] = []
        for key in archive.shapes.keys.sorted() where !key.hasSuffix(Self.ignoredSuffix) {
            let name = key.hasPrefix(Self.dataParallelPrefix) ? String(key.dropFirst(Self.dataParallelPrefix.count)) : key
            if keys[name] != nil { duplicates.append(key) }
            keys[name] = key
        }
        if !duplicates.isEmpty {
            throw .duplicateKeys(file: archive.path, keys: duplicates)
        }
        origin = archive.path
        metadata = archive.metadata
        shapes = keys.mapValues { archive.shapes[$0] ?? [] }
        storage = .archive(archive, keys: keys)
    }

    /// Tensors held in memory (seeded weights, tests). Each must hold as many values as its shape.
    public init(origin: String, tensors: [String: ParameterTensor], metadata: [String: String] = [:])
        throws(WeightsError)
    {
        for (key, tensor) in tensors where tensor.values.count != tensor.shape.reduce(1, *) {
            throw .unsupportedLayout(
                file: origin, key: key, shape: tensor.shape,
                reason: "holds \(tensor.values.count) values, not \(tensor.shape.reduce(1, *))")
        }
        self.origin = origin
        self.metadata = metadata
        shapes = tensors.mapValues(\.shape)
        storage = .memory(tensors)
    }

    /// Opens a weights file of any supported format.
    public static func open(_ url: URL) throws(WeightsError) -> CheckpointTensors {
        try CheckpointTensors(archive: TensorArchives.open(url))
    }

    /// False for weights this program seeded (directly or via a file it exported).
    public var isTrained: Bool { metadata[Self.originMetadataKey] != Self.seededMarker }

    /// The tensor `key`, decoded.
    public func tensor(_ key: String) throws(WeightsError) -> ParameterTensor {
        switch storage {
        case .archive(let archive, let keys):
            guard let stored = keys[key] else { throw .missingKeys(file: origin, network: nil, keys: [key]) }
            return try archive.floats(stored)
        case .memory(let tensors):
            guard let tensor = tensors[key] else { throw .missingKeys(file: origin, network: nil, keys: [key]) }
            return tensor
        }
    }

    /// The first dimension `axis` of `key`'s shape, checked to have `rank` dimensions, or nil.
    func dimension(_ key: String, _ axis: Int, rank: Int) -> Int? {
        guard let shape = shapes[key], shape.count == rank, shape[axis] > 0 else { return nil }
        return shape[axis]
    }
}
