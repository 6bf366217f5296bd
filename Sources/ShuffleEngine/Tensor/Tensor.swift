/// A dense Float32 tensor in NCHW layout.
///
/// Storage is a Swift array, so copies are cheap until written (copy on write).
public struct Tensor: Sendable, Equatable {
    public var shape: Shape
    /// `shape.count` elements, NCHW order.
    public var storage: [Float]

    public init(shape: Shape, storage: [Float]) {
        precondition(storage.count == shape.count, "storage count \(storage.count) != \(shape)")
        self.shape = shape
        self.storage = storage
    }

    public init(zeros shape: Shape) {
        self.shape = shape
        self.storage = [Float](repeating: 0, count: shape.count)
    }

    /// Value at batch `n`, channel `c`, row `y`, column `x`.
    @inlinable
    public subscript(n: Int, c: Int, y: Int, x: Int) -> Float {
        get { storage[((n * shape.c + c) * shape.h + y) * shape.w + x] }
        set { storage[((n * shape.c + c) * shape.h + y) * shape.w + x] = newValue }
    }

    /// The `h * w` values of one channel of one batch item.
    public func plane(n: Int = 0, channel c: Int) -> ArraySlice<Float> {
        let start = (n * shape.c + c) * shape.plane
        return storage[start..<(start + shape.plane)]
    }
}
