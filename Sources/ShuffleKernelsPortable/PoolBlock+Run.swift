import ShuffleKernelCore

// The eight-channel 3×3 stride-2 pooling kernel of `PoolBlock`, compiled once per instruction set.

extension PoolBlock {
    func run() {
        let padded = scratch, results = scratch + DepthwiseBlock.paddedFloats(height: height, width: width)
        gatherBlock(sources, pixels: height * width, cells: cells, into: padded)
        if average { pool(padded, into: results, SumOfWindow.self) } else { pool(padded, into: results, MaximumOfWindow.self) }
        scatterBlock(results, pixels: outputHeight * outputWidth, into: output, outputStride: outputStride)
    }

    /// Every output pixel from the padded block into `results`. Output (y, x)'s window covers
    /// padded rows 2y … 2y + 2 (input rows 2y - 1 … 2y + 1) and columns 2x … 2x + 2.
    @inline(__always)
    private func pool<Reduction: WindowReduction>(
        _ padded: UnsafeMutablePointer<Float>, into results: UnsafeMutablePointer<Float>, _: Reduction.Type
    ) {
        let rowFloats = 8 * (width + 2)
        for y in 0..<outputHeight {
            let middle = UnsafePointer(padded + (2 * y + 1) * rowFloats)
            // The window's rows that lie in the input: the one above from the second output row
            // on, the one below unless it is past the last input row.
            let above = y > 0, below = 2 * y + 1 < height
            let rowScale = Reduction.isSum ? rowScales[y] : 1
            let out = results + 8 * y * outputWidth
            // Each padded column combined down the window's rows, once: output x's right column
            // is output x + 1's left.
            @inline(__always) func column(_ c: Int) -> Vector {
                let cell = middle + 8 * c
                var value = above ? Reduction.combine(cell.vector(at: -rowFloats), cell.vector(at: 0)) : cell.vector(at: 0)
                if below { value = Reduction.combine(value, cell.vector(at: rowFloats)) }
                return value
            }
            var left = column(0)
            for x in 0..<outputWidth {
                let right = column(2 * x + 2)
                var value = Reduction.combine(Reduction.combine(left, column(2 * x + 1)), right)
                if Reduction.isSum { value = value * Vector(repeating: rowScale * columnScales[x]) }
                if relu { value = rectified(value) }
                out.store(value, at: 8 * x)
                left = right
            }
        }
    }
}
