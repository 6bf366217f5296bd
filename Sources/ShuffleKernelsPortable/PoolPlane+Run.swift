import ShuffleKernelCore

// The pooling kernel of `PoolPlane`, compiled once per instruction set.

extension PoolPlane {
    /// Average or max pools output rows `rows` (all by default) of the plane.
    @inline(__always)
    func run(average: Bool, rows: Range<Int>?) {
        if average {
            run(kernelSize: window.kernelSize, SumOfWindow.self, rows: rows)
        } else {
            run(kernelSize: window.kernelSize, MaximumOfWindow.self, rows: rows)
        }
    }

    /// Computes output rows `rows` (all by default); `input` must hold the input rows their
    /// windows cover. Nothing is written outside those rows (a narrow row's vector spills only
    /// into the rows after it in the range), so other threads may compute the plane's other rows.
    func run<Reduction: WindowReduction>(kernelSize k: Int, _: Reduction.Type, rows: Range<Int>? = nil) {
        let rows = rows ?? 0..<outputHeight
        // 3-wide windows of stride 1 or 2 (all of ShuffleNet's) read their taps straight from the
        // combined row, its padding written beside it; stride 2 splits even and odd columns of
        // sixteen-float loads.
        let direct = k == 3 && (window.stride == 1 || window.stride == 2) && window.padding <= PoolPlane.margin
        // Other windows go through a padded, phase-dealt copy of the combined row.
        let t0 = direct ? 0 : line.tapOffset(ky: 0, kx: 0)
        let t1 = !direct && k > 1 ? line.tapOffset(ky: 0, kx: 1) : t0
        let t2 = !direct && k > 2 ? line.tapOffset(ky: 0, kx: 2) : t0
        if direct {
            // Every row is combined before any is read back: a read straddles several of the
            // combining stores, which the processor cannot forward, so reading a row straight
            // after writing it would wait for those stores to reach the cache.
            for oy in rows {
                let top = oy * window.stride - window.padding
                let row = combined + oy * combinedStride
                combineRows(max(0, top)..<min(inputHeight, top + k), into: row, Reduction.self)
                for q in 0..<window.padding {
                    row[-1 - q] = Reduction.padValue
                    row[inputWidth + q] = Reduction.padValue
                }
            }
            for oy in rows { runDirect(row: oy, end: rows.upperBound, Reduction.self) }
            return
        }
        for oy in rows {
            let top = oy * window.stride - window.padding
            combineRows(max(0, top)..<min(inputHeight, top + k), into: combined, Reduction.self)
            line.fill(phases, from: combined, padValue: Reduction.padValue, rows: window.padding..<(window.padding + 1))
            let rowScale = Vector(repeating: Reduction.isSum ? rowScales[oy] : 1)
            let row = output + oy * outputWidth
            var x = 0
            while x < outputWidth {
                // A last partial vector moves back to overlap the previous one when it can.
                let start = rowVectorStart(x, width: outputWidth)
                let taps = UnsafePointer(phases) + start
                var value: Vector
                if k == 3 {
                    value = Reduction.combine(Reduction.combine(taps.vector(at: t0), taps.vector(at: t1)), taps.vector(at: t2))
                } else {
                    value = taps.vector(at: t0)
                    for kx in 1..<max(1, k) { value = Reduction.combine(value, taps.vector(at: line.tapOffset(ky: 0, kx: kx))) }
                }
                if Reduction.isSum { value = value * (rowScale * columnScales.vector(at: start)) }
                if relu { value = rectified(value) }
                row.storeRow(value, at: start, width: outputWidth, planeFloats: (rows.upperBound - oy) * outputWidth)
                x = start + 8
            }
        }
    }

    /// Output row `oy` of a 3-wide window with stride 1 or 2, from its combined row (padding
    /// written beside it); rows up to `end` are this run's.
    @inline(__always)
    private func runDirect<Reduction: WindowReduction>(row oy: Int, end: Int, _: Reduction.Type) {
        let combined = self.combined + oy * combinedStride
        let rowScale = Vector(repeating: Reduction.isSum ? rowScales[oy] : 1)
        let row = output + oy * outputWidth
        let left = UnsafePointer(combined) - window.padding
        var x = 0
        while x < outputWidth {
            let start = rowVectorStart(x, width: outputWidth)
            var value: Vector
            if window.stride == 2 {
                let near = UnsafeRawPointer(left + 2 * start).floats(as: SIMD16<Float>.self)
                let far = UnsafeRawPointer(left + 2 * start + 2).floats(as: SIMD16<Float>.self)
                value = Reduction.combine(Reduction.combine(near.evenHalf, near.oddHalf), far.evenHalf)
            } else {
                value = Reduction.combine(
                    Reduction.combine(left.vector(at: start), left.vector(at: start + 1)), left.vector(at: start + 2))
            }
            if Reduction.isSum { value = value * (rowScale * columnScales.vector(at: start)) }
            if relu { value = rectified(value) }
            row.storeRow(value, at: start, width: outputWidth, planeFloats: (end - oy) * outputWidth)
            x = start + 8
        }
    }

    /// `combined[x]` = the reduction of input rows `rows` at column `x`. Each vector is computed
    /// from the input rows afresh, so a last vector may overlap the one before it.
    @inline(__always)
    private func combineRows<Reduction: WindowReduction>(
        _ rows: Range<Int>, into combined: UnsafeMutablePointer<Float>, _: Reduction.Type
    ) {
        guard !rows.isEmpty else {
            // Only a window wider than its padding allows can miss the input entirely.
            combined.update(repeating: Reduction.padValue, count: inputWidth)
            return
        }
        let first = input + rows.lowerBound * inputWidth
        guard inputWidth >= 8 else {
            for x in 0..<inputWidth {
                var value = first[x]
                for y in rows.dropFirst() { value = Reduction.combine(value, input[y * inputWidth + x]) }
                combined[x] = value
            }
            return
        }
        var x = 0
        if rows.count == 3 {
            let second = first + inputWidth, third = second + inputWidth
            while x < inputWidth {
                let start = min(x, inputWidth - 8)
                let value = Reduction.combine(
                    Reduction.combine(first.vector(at: start), second.vector(at: start)), third.vector(at: start))
                combined.store(value, at: start)
                x = start + 8
            }
            return
        }
        while x < inputWidth {
            let start = min(x, inputWidth - 8)
            var value = first.vector(at: start)
            for y in rows.dropFirst() { value = Reduction.combine(value, input.vector(at: y * inputWidth + start)) }
            combined.store(value, at: start)
            x = start + 8
        }
    }
}

/// How a pooling window's values combine.
protocol WindowReduction {
    static var isSum: Bool { get }
    static var padValue: Float { get }
    static func combine(_ a: Vector, _ b: Vector) -> Vector
    static func combine(_ a: Float, _ b: Float) -> Float
}

enum MaximumOfWindow: WindowReduction {
    static var isSum: Bool { false }
    static var padValue: Float { -.infinity }
    @inline(__always)
    static func combine(_ a: Vector, _ b: Vector) -> Vector { a.replacing(with: b, where: b .> a) }
    @inline(__always)
    static func combine(_ a: Float, _ b: Float) -> Float { b > a ? b : a }
}

enum SumOfWindow: WindowReduction {
    static var isSum: Bool { true }
    static var padValue: Float { 0 }
    @inline(__always)
    static func combine(_ a: Vector, _ b: Vector) -> Vector { a + b }
    @inline(__always)
    static func combine(_ a: Float, _ b: Float) -> Float { a + b }
}
