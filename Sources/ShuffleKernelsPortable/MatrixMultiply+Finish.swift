import ShuffleKernelCore

// How a register tile stores its accumulators.

/// A tile's epilogue, worked out once per tile: after the last depth chunk each accumulator
/// gets ReLU, the residual and ReLU again as the product asks; before it, the partial sums are
/// stored as they are. Holding the choice and the tile's own residual origin as local values
/// lets the stores branch on registers, where reading the product's fields again for every
/// vector (the stores may alias them) cost a K = 40 tile a few percent.
struct TileFinish {
    enum Kind {
        /// Partial sums, or a product with nothing to apply.
        case store
        /// ReLU only: the first 1×1 convolution of every unit.
        case relu
        /// Any mix of ReLU, residual and final ReLU.
        case general
    }

    let kind: Kind
    /// The tile's top-left output.
    private(set) var c: UnsafeMutablePointer<Float>
    let leadingC: Int
    let relu: Bool
    let finalRelu: Bool
    /// The residual at the tile's top-left output (same layout as `c`).
    private(set) var residual: UnsafePointer<Float>?

    @inline(__always)
    init(_ product: MatrixMultiply, _ c: UnsafeMutablePointer<Float>, _ chunk: MatrixMultiply.DepthChunk) {
        self.c = c
        leadingC = product.leadingC
        relu = product.relu
        finalRelu = product.finalRelu
        residual = product.residual.map { $0 + (c - product.c) }
        if !chunk.finishes || (!product.relu && product.residual == nil && !product.finalRelu) {
            kind = .store
        } else if product.residual == nil && !product.finalRelu {
            kind = .relu
        } else {
            kind = .general
        }
    }

    /// Moves to the tile `step` floats further on.
    @_transparent
    mutating func advance(by step: Int) {
        c += step
        if let moved = residual { residual = moved + step }
    }

    @_transparent
    func finished(_ value: Vector, at offset: Int) -> Vector {
        switch kind {
        case .store:
            return value
        case .relu:
            return rectified(value)
        case .general:
            var value = value
            if relu { value = rectified(value) }
            if let residual { value += residual.vector(at: offset) }
            if finalRelu { value = rectified(value) }
            return value
        }
    }

    @_transparent
    func finished(_ value: WideVector, at offset: Int) -> WideVector {
        switch kind {
        case .store:
            return value
        case .relu:
            return rectified(value)
        case .general:
            var value = value
            if relu { value = rectified(value) }
            if let residual { value += residual.wideVector(at: offset) }
            if finalRelu { value = rectified(value) }
            return value
        }
    }

    /// Stores lanes `firstLane...` of the accumulator for `row`, columns `lane ..< lane + 8`.
    @_transparent
    func store(_ value: Vector, row: Int, lane: Int, firstLane: Int = 0) {
        let offset = row * leadingC + lane
        let value = finished(value, at: offset)
        if firstLane == 0 {
            c.store(value, at: offset)
        } else {
            for index in firstLane..<8 { c[offset + index] = value[index] }
        }
    }

    /// Stores the 16-lane accumulator for `row`, columns `lane ..< lane + 16`.
    @_transparent
    func storeWide(_ value: WideVector, row: Int, lane: Int) {
        let offset = row * leadingC + lane
        c.store(finished(value, at: offset), at: offset)
    }

    /// Stores row `row` of a wide tile: its first `vectors` (2 to 4) 16-lane accumulators.
    /// Transparent, so it is always inlined: as a nested function taking the sums, the stores
    /// were compiled out of line, every sum passed in pieces through memory.
    @_transparent
    func storeWideRow(_ s0: WideVector, _ s1: WideVector, _ s2: WideVector, _ s3: WideVector, row: Int, vectors: Int) {
        storeWide(s0, row: row, lane: 0)
        storeWide(s1, row: row, lane: 16)
        if vectors > 2 { storeWide(s2, row: row, lane: 32) }
        if vectors > 3 { storeWide(s3, row: row, lane: 48) }
    }
}
