/// A storage a checkpoint names by persistent id: `('storage', type, key, location, numel[, view])`.
///
/// Typed storages (`torch.FloatStorage` ...) count `elementCount` in their own type; untyped
/// ones (`torch.storage.UntypedStorage`, `dtype == nil`) count bytes.
struct StorageReference: Equatable, Sendable {
    var key: String
    var dtype: SafeTensorsDType?
    var elementCount: Int
    /// The legacy format's storage views: this storage is `count` elements of storage `key`
    /// starting at element `offset`.
    var view: (offset: Int, count: Int)?

    static func == (a: StorageReference, b: StorageReference) -> Bool {
        a.key == b.key && a.dtype == b.dtype && a.elementCount == b.elementCount && a.view?.offset == b.view?.offset
            && a.view?.count == b.view?.count
    }

    var elementBytes: Int { dtype?.byteSize ?? 1 }
    /// The bytes this reference covers, as its persistent id declares them.
    var byteCount: Int { elementCount * elementBytes }
}

/// A tensor as PyTorch describes it: a strided view of a storage. Nothing is read until
/// `PyTorchCheckpoint.floats(_:)` asks for its values.
///
/// Element `[i0, i1, ...]` lies at storage element `offset + Σ ik · strides[k]`, in units of
/// `dtype`. A contiguous tensor has strides `[Π shape[1...], ..., shape[last], 1]`; a transposed
/// or sliced one does not, and is read through its strides all the same.
struct TensorReference: Equatable, Sendable {
    var storage: StorageReference
    var dtype: SafeTensorsDType
    var offset: Int
    var shape: [Int]
    var strides: [Int]

    /// More dimensions than any weight needs; a guard against absurd shapes.
    static let maximumRank = 16
    /// Zero strides let a view repeat its storage (an `expand`ed tensor). Up to this many
    /// elements that is accepted; beyond it a view may not hold more elements than its storage,
    /// or a few bytes could demand gigabytes.
    static let maximumBroadcastElements = 1 << 20

    var elementCount: Int { shape.reduce(1, *) }

    /// Checks that the view lies inside its storage, with every product overflow-checked.
    /// `storageElements` is the storage's length in units of `dtype`.
    static func check(offset: Int, shape: [Int], strides: [Int], storageElements: Int) -> String? {
        guard shape.count <= maximumRank else { return "has \(shape.count) dimensions, more than \(maximumRank)" }
        guard shape.count == strides.count else { return "has \(shape.count) sizes but \(strides.count) strides" }
        guard offset >= 0, shape.allSatisfy({ $0 >= 0 }), strides.allSatisfy({ $0 >= 0 }) else {
            return "has a negative offset, size or stride (offset \(offset), size \(shape), stride \(strides))"
        }
        var count = 1
        var last = offset  // the storage element of the view's last element
        for (size, stride) in zip(shape, strides) {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { return "has size \(shape), too many elements" }
            count = product
            if size > 0 {
                let (reach, overflowReach) = (size - 1).multipliedReportingOverflow(by: stride)
                let (sum, overflowSum) = last.addingReportingOverflow(reach)
                guard !overflowReach, !overflowSum else { return "has strides \(strides) reaching beyond any storage" }
                last = sum
            }
        }
        if count > max(storageElements, maximumBroadcastElements) {
            return "has \(count) elements (size \(shape), stride \(strides)) but its storage only \(storageElements)"
        }
        if count > 0, last >= storageElements {
            return "reaches element \(last) of a storage of \(storageElements) (offset \(offset), size \(shape), stride \(strides))"
        }
        return nil
    }

    /// Whether the elements lie one after another in row-major order from `offset` (strides of
    /// dimensions of size 1 do not matter).
    var isContiguous: Bool {
        var expected = 1
        for (size, stride) in zip(shape, strides).reversed() where size != 1 {
            if stride != expected { return false }
            expected *= size
        }
        return true
    }

    /// Storage element index of every element of the view, in row-major order.
    func storageIndices() -> [Int] { StridedWalk.positions(shape: shape, strides: strides, offset: offset) }
}
