/// Eight floats: one AVX register in the AVX2 and AVX-512 builds of the kernels (see
/// Package.swift), two SSE registers in the portable build.
typealias Vector = SIMD8<Float>

/// `accumulator + a · b`. Fused (one rounding) when the build enables FMA instructions; without
/// them a fused multiply-add would be a library call per lane, so the portable build multiplies
/// and adds. Every kernel accumulates through these two functions, so a value is computed the
/// same way whichever tile or thread produces it.
@inline(__always)
func multiplyAdd(_ accumulator: Vector, _ a: Vector, _ b: Vector) -> Vector {
    #if SHUFFLE_FUSED_MULTIPLY_ADD
    return accumulator.addingProduct(a, b)
    #else
    return accumulator + a * b
    #endif
}

@inline(__always)
func multiplyAdd(_ accumulator: SIMD16<Float>, _ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
    #if SHUFFLE_FUSED_MULTIPLY_ADD
    return accumulator.addingProduct(a, b)
    #else
    return accumulator + a * b
    #endif
}

@inline(__always)
func multiplyAdd(_ accumulator: Float, _ a: Float, _ b: Float) -> Float {
    #if SHUFFLE_FUSED_MULTIPLY_ADD
    return accumulator.addingProduct(a, b)
    #else
    return accumulator + a * b
    #endif
}

@inline(__always)
func rectified(_ v: Vector) -> Vector { v.replacing(with: 0, where: v .< 0) }

@inline(__always)
func rectified(_ v: SIMD16<Float>) -> SIMD16<Float> { v.replacing(with: 0, where: v .< 0) }

@inline(__always)
func rectified(_ v: Float) -> Float { v < 0 ? 0 : v }

/// Every vector load and store goes through this wrapper. This file is compiled into several
/// modules with different target flags (see Package.swift); a standard-library generic that the
/// optimiser leaves out of line is emitted in each as a specialisation, and specialisations for
/// the same types carry the same name, so the linker keeps one copy for all of them: the AVX
/// build's copy could end up called from portable code. Specialised for `Lanes`, a type of this
/// module, each module's copy has a name of its own (`scripts/check_kernel_isolation.sh`).
struct Lanes<Value: SIMD> where Value.Scalar == Float {
    var value: Value
}

extension UnsafeRawPointer {
    /// `Value.scalarCount` floats at this address, any alignment.
    @inline(__always)
    func floats<Value: SIMD>(as _: Value.Type = Value.self) -> Value where Value.Scalar == Float {
        loadUnaligned(as: Lanes<Value>.self).value
    }
}

extension UnsafeMutableRawPointer {
    /// Stores `value` at this address, any alignment.
    @inline(__always)
    func storeFloats<Value: SIMD>(_ value: Value) where Value.Scalar == Float {
        storeBytes(of: Lanes(value: value), as: Lanes<Value>.self)
    }
}

extension UnsafePointer where Pointee == Float {
    /// Eight floats starting at `self + offset`, any alignment.
    @inline(__always)
    func vector(at offset: Int) -> Vector {
        UnsafeRawPointer(self + offset).floats(as: Vector.self)
    }

    /// Sixteen floats starting at `self + offset`, any alignment.
    @inline(__always)
    func wideVector(at offset: Int) -> SIMD16<Float> {
        UnsafeRawPointer(self + offset).floats(as: SIMD16<Float>.self)
    }
}

extension UnsafeMutablePointer where Pointee == Float {
    /// Eight floats starting at `self + offset`, any alignment.
    @inline(__always)
    func vector(at offset: Int) -> Vector {
        UnsafeRawPointer(self + offset).floats(as: Vector.self)
    }

    /// Stores eight floats at `self + offset`, any alignment.
    @inline(__always)
    func store(_ v: Vector, at offset: Int) {
        UnsafeMutableRawPointer(self + offset).storeFloats(v)
    }

    /// Sixteen floats starting at `self + offset`, any alignment.
    @inline(__always)
    func wideVector(at offset: Int) -> SIMD16<Float> {
        UnsafeRawPointer(self + offset).floats(as: SIMD16<Float>.self)
    }

    /// Stores sixteen floats at `self + offset`, any alignment.
    @inline(__always)
    func store(_ v: SIMD16<Float>, at offset: Int) {
        UnsafeMutableRawPointer(self + offset).storeFloats(v)
    }

    /// Stores the first `count` (< 8) lanes of `v` at `self + offset`.
    @inline(__always)
    func store(_ v: Vector, at offset: Int, count: Int) {
        for lane in 0..<count { self[offset + lane] = v[lane] }
    }

    /// Stores the vector for columns `start...` of a plane row `width` wide that begins at `self`,
    /// where `planeFloats` floats of the plane remain from the row's start. Narrow rows (7 wide)
    /// store whole vectors too while the plane has room: the lanes past the row land in the next
    /// row, which is computed after this one. At the plane's end only the row's own lanes are written.
    @inline(__always)
    func storeRow(_ v: Vector, at start: Int, width: Int, planeFloats: Int) {
        if planeFloats - start >= 8 {
            store(v, at: start)
        } else {
            store(v, at: start, count: width - start)
        }
    }
}

/// Where the vector that covers column `x` of a row `width` wide starts: a last partial vector
/// moves back to overlap the one before it when the row holds a whole vector.
@inline(__always)
func rowVectorStart(_ x: Int, width: Int) -> Int { width - x < 8 && width >= 8 ? width - 8 : x }

/// Asks the CPU to start bringing the cache line at `address` into every cache level. A hint:
/// it never faults, so it may point past the end of an allocation.
@inline(__always)
func prefetch(_ address: UnsafePointer<Float>) {
    llvmPrefetch(UnsafeRawPointer(address), 0, 3, 1)
}

/// LLVM's prefetch intrinsic (address, 0 = read, locality 3 = keep in every level, 1 = data),
/// declared directly: Swift has no prefetch, and the C headers' `_mm_prefetch` is a macro,
/// which Swift cannot import.
@_silgen_name("llvm.prefetch.p0")
private func llvmPrefetch(_ address: UnsafeRawPointer, _ write: Int32, _ locality: Int32, _ cache: Int32)

/// How far ahead of the multiply-adds the product tiles prefetch their packed weights, floats:
/// 3 kB, about three hundred cycles of a 6-row tile at two multiply-adds a cycle. A layer's
/// weights come from the last-level cache or memory once per pass, and on 7 × 7 planes each
/// is used only 49 times, too few for the hardware prefetcher to keep ahead on its own.
let weightPrefetchDistance = 768
