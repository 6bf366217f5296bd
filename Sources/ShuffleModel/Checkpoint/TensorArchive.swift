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
    /// Opens the file at `url`: safetensors, or a PyTorch checkpoint where that reader exists.
    public static func open(_ url: URL) throws(WeightsError) -> any TensorArchive {
        try SafeTensorsFile(contentsOf: url)
    }
}
