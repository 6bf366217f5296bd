import Foundation
import ShuffleEngine

extension Npy {
    /// An engine tensor from an array, padding missing leading/trailing axes:
    /// `[n, c, h, w]` as is, `[c, h, w]` → `[1, c, h, w]`, `[n, c]` → `[n, c, 1, 1]`,
    /// `[c]` → `[1, c, 1, 1]`. Any other rank throws `unsupportedShape` naming `file`.
    public static func tensor(from array: NpyArray, file: String) throws(NpyError) -> Tensor {
        let dims = array.shape
        let shape: Shape
        switch dims.count {
        case 4: shape = Shape(n: dims[0], c: dims[1], h: dims[2], w: dims[3])
        case 3: shape = Shape(n: 1, c: dims[0], h: dims[1], w: dims[2])
        case 2: shape = Shape(n: dims[0], c: dims[1], h: 1, w: 1)
        case 1: shape = Shape(n: 1, c: dims[0], h: 1, w: 1)
        default:
            throw .unsupportedShape(file: file, shape: dims, expected: "1 to 4 dimensions")
        }
        guard shape.count == array.values.count else {
            throw .valueCountMismatch(file: file, shape: dims, valueCount: array.values.count)
        }
        return Tensor(shape: shape, storage: array.values)
    }

    /// Reads a `.npy` file straight into a tensor (see `tensor(from:file:)` for the shapes).
    public static func readTensor(url: URL) throws(NpyError) -> Tensor {
        try tensor(from: read(url: url), file: url.path)
    }
}
