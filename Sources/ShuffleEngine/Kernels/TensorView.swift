/// A read-only view of an NCHW tensor whose memory belongs to someone else and must outlive
/// the view. Channels of one batch item are contiguous planes; batch items are `batchStride`
/// floats apart (`shape.item` unless the view is a channel slice of a wider tensor).
public struct TensorView {
    public var base: UnsafePointer<Float>
    public var shape: Shape
    public var batchStride: Int

    public init(base: UnsafePointer<Float>, shape: Shape, batchStride: Int? = nil) {
        self.base = base
        self.shape = shape
        self.batchStride = batchStride ?? shape.item
    }

    /// Whether the view covers `shape.count` consecutive floats (kernels that treat a tensor as
    /// one flat array need that).
    var isContiguous: Bool { shape.n <= 1 || batchStride == shape.item }

    /// First element of channel `c` of batch item `n`.
    @inline(__always)
    func plane(n: Int, channel c: Int) -> UnsafePointer<Float> { base + n * batchStride + c * shape.plane }
}

/// A writable view of an NCHW tensor whose memory belongs to someone else; see `TensorView`.
public struct MutableTensorView {
    public var base: UnsafeMutablePointer<Float>
    public var shape: Shape
    public var batchStride: Int

    public init(base: UnsafeMutablePointer<Float>, shape: Shape, batchStride: Int? = nil) {
        self.base = base
        self.shape = shape
        self.batchStride = batchStride ?? shape.item
    }

    var isContiguous: Bool { shape.n <= 1 || batchStride == shape.item }

    /// The same memory, read-only.
    var readOnly: TensorView { TensorView(base: base, shape: shape, batchStride: batchStride) }

    /// First element of channel `c` of batch item `n`.
    @inline(__always)
    func plane(n: Int, channel c: Int) -> UnsafeMutablePointer<Float> { base + n * batchStride + c * shape.plane }
}
