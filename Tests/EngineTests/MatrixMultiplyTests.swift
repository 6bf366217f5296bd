import ShuffleKernelCore
import Testing
@testable import ShuffleEngine

/// `KernelSet.multiply` in every instruction set's build this CPU runs, with the narrow
/// (6 × 16) and the wide (6 × 32, 48 or 64, the AVX-512 build's) register tiles: against a float64
/// reference, and to the bit against each other and against the same product cut into parts.
@Suite struct MatrixMultiplyTests {
    /// `(rows, depth, columns)`: tile heights 1 to 12 and past them, depths below a vector, the
    /// stem's 27, chunked depths (> 192), columns around 16 and 32 with the 1–2 column tails, and
    /// planes narrower than a vector.
    static let shapes: [(rows: Int, depth: Int, columns: Int)] = [
        (1, 1, 1), (3, 5, 7), (6, 27, 16), (12, 27, 32), (13, 60, 33), (24, 27, 224), (20, 60, 784), (7, 9, 31),
        (40, 120, 196), (80, 240, 49), (25, 320, 50), (11, 193, 65), (12, 600, 97), (5, 17, 2), (30, 8, 47), (30, 400, 4),
    ]

    struct Product {
        var a: [Float]
        var b: [Float]
        var bias: [Float]
        var residual: [Float]
        var rows: Int, depth: Int, columns: Int
        /// `c`'s row stride: wider than the product, as in a 1×1 convolution on part of a plane.
        var leadingC: Int { columns + 3 }

        init(rows: Int, depth: Int, columns: Int, seed: UInt64) {
            var random = SeededRandom(seed: seed)
            self.rows = rows
            self.depth = depth
            self.columns = columns
            a = random.floats(rows * depth)
            b = random.floats(depth * columns)
            bias = random.floats(rows)
            residual = random.floats(rows * (columns + 3))
        }

        var panels: RowPanels { RowPanels(rows: rows) }

        /// Runs the rows of weight panels `panelRange` × columns `columnRange` into `c`
        /// (`[rows, leadingC]`).
        func run(
            _ kernels: any KernelSet.Type, wide: Bool, into c: inout [Float], panelRange: Range<Int>? = nil,
            columnRange: Range<Int>? = nil, fused: Bool = true
        ) {
            let panelRange = panelRange ?? 0..<panels.count, columnRange = columnRange ?? 0..<columns
            RowPanels.packed(a, groups: 1, rows: rows, depth: depth).withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    bias.withUnsafeBufferPointer { bias in
                        residual.withUnsafeBufferPointer { residual in
                            c.withUnsafeMutableBufferPointer { c in
                                guard let a = a.baseAddress, let b = b.baseAddress, let bias = bias.baseAddress,
                                    let residual = residual.baseAddress, let c = c.baseAddress
                                else { return }
                                let offset = columnRange.lowerBound
                                kernels.multiply(MatrixMultiply(
                                    a: a, panels: panels, panelRange: panelRange,
                                    b: b + columnRange.lowerBound, leadingB: columns,
                                    c: c + offset, leadingC: leadingC, bias: bias,
                                    depth: depth, columns: columnRange.count, relu: true,
                                    residual: fused ? residual + offset : nil, finalRelu: fused
                                ), wideTiles: wide)
                            }
                        }
                    }
                }
            }
        }

        /// `relu(relu(bias + a·b) + residual)` in float64.
        func reference() -> [Double] {
            var c = [Double](repeating: 0, count: rows * leadingC)
            for i in 0..<rows {
                for j in 0..<columns {
                    var sum = Double(bias[i])
                    for k in 0..<depth { sum += Double(a[i * depth + k]) * Double(b[k * columns + j]) }
                    c[i * leadingC + j] = max(0, max(0, sum) + Double(residual[i * leadingC + j]))
                }
            }
            return c
        }
    }

    @Test(arguments: InstructionSet.available, [false, true])
    func matchesTheReference(instructionSet: InstructionSet, wide: Bool) {
        for (index, shape) in Self.shapes.enumerated() {
            let product = Product(rows: shape.rows, depth: shape.depth, columns: shape.columns, seed: UInt64(index))
            var c = [Float](repeating: .nan, count: shape.rows * product.leadingC)
            product.run(instructionSet.kernels, wide: wide, into: &c)
            let expected = product.reference()
            var worst = 0.0
            var scale = 1e-30
            for i in 0..<shape.rows {
                for j in 0..<shape.columns {
                    worst = max(worst, abs(Double(c[i * product.leadingC + j]) - expected[i * product.leadingC + j]))
                    scale = max(scale, abs(expected[i * product.leadingC + j]))
                }
                // Past the product's columns nothing is written.
                let past = (i * product.leadingC + shape.columns)..<((i + 1) * product.leadingC)
                let untouched = past.allSatisfy { c[$0].isNaN }
                #expect(untouched, "\(shape)")
            }
            #expect(worst / scale < 1e-5, "\(instructionSet) wide \(wide) \(shape)")
        }
    }

    /// The wide and narrow tiles, and a product cut into row and column parts as `WorkSplit`
    /// cuts it (columns on multiples of 16, rows between weight panels), give the same bits.
    @Test(arguments: InstructionSet.available)
    func tileShapesAndCutsChangeNoBit(instructionSet: InstructionSet) {
        let kernels = instructionSet.kernels
        for (index, shape) in Self.shapes.enumerated() {
            let product = Product(rows: shape.rows, depth: shape.depth, columns: shape.columns, seed: UInt64(100 + index))
            for fused in [true, false] {
                var narrow = [Float](repeating: 0, count: shape.rows * product.leadingC)
                var wide = narrow
                var cut = narrow
                product.run(kernels, wide: false, into: &narrow, fused: fused)
                product.run(kernels, wide: true, into: &wide, fused: fused)
                let panels = product.panels.count
                let columnCut = shape.columns / 2 / 16 * 16, panelCut = panels / 2
                for panelRange in [0..<panelCut, panelCut..<panels] where !panelRange.isEmpty {
                    for columns in [0..<columnCut, columnCut..<shape.columns] where !columns.isEmpty {
                        product.run(
                            kernels, wide: kernels.wideTiles, into: &cut, panelRange: panelRange, columnRange: columns,
                            fused: fused)
                    }
                }
                #expect(narrow == wide, "\(instructionSet) \(shape) fused \(fused)")
                #expect(narrow == cut, "\(instructionSet) \(shape) fused \(fused)")
            }
        }
    }

    /// The last one or two columns (summed down the depth, a panel's rows per vector) give the
    /// bits a 16-column tile gives the same column: the product with its last column in the
    /// tail against the same product run from column 1, where a tile covers that column.
    @Test(arguments: InstructionSet.available)
    func lastColumnsSumAsTheTilesDo(instructionSet: InstructionSet) {
        let shapes: [(rows: Int, depth: Int, columns: Int)] = [(20, 60, 17), (13, 250, 49), (7, 27, 18), (40, 320, 33)]
        for (index, shape) in shapes.enumerated() {
            let product = Product(rows: shape.rows, depth: shape.depth, columns: shape.columns, seed: UInt64(200 + index))
            for fused in [true, false] {
                var tail = [Float](repeating: 0, count: shape.rows * product.leadingC)
                var tiled = tail
                product.run(instructionSet.kernels, wide: false, into: &tail, fused: fused)
                let shifted = (shape.columns - 16)..<shape.columns
                product.run(instructionSet.kernels, wide: false, into: &tiled, columnRange: 0..<shifted.lowerBound, fused: fused)
                product.run(instructionSet.kernels, wide: false, into: &tiled, columnRange: shifted, fused: fused)
                #expect(tail == tiled, "\(instructionSet) \(shape) fused \(fused)")
            }
        }
    }

    /// Panels split rows evenly, taller first, and pack each panel's rows for one `k` side by side.
    @Test func panelsSplitEvenlyAndPackByDepth() {
        let panels = RowPanels(rows: 20)
        #expect((0...4).map(panels.firstRow) == [0, 5, 10, 15, 20])
        let uneven = RowPanels(rows: 40)
        #expect((0..<uneven.count).map(uneven.height) == [6, 6, 6, 6, 6, 5, 5])
        #expect(RowPanels(rows: 0).count == 0 && RowPanels(rows: 0).rows == 0)
        // 7 rows × 3 depth: panels of 4 and 3 rows.
        let a = (0..<21).map(Float.init)
        let packed = RowPanels.packed(a, groups: 1, rows: 7, depth: 3)
        #expect(packed.count == 21 + 8)
        #expect(Array(packed[0..<12]) == [0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11])
        #expect(Array(packed[12..<21]) == [12, 15, 18, 13, 16, 19, 14, 17, 20])
        #expect(packed[21...].allSatisfy { $0 == 0 })
        // A chunked depth (200 = 100 + 100) lies chunk by chunk, each chunk panel by panel.
        let rows = 7, depth = 200
        let wide = (0..<(rows * depth)).map(Float.init)
        let chunked = RowPanels.packed(wide, groups: 1, rows: rows, depth: depth)
        let panels7 = RowPanels(rows: rows), second = MatrixMultiply.depthChunk(1, of: depth)
        #expect(MatrixMultiply.depthChunks(depth) == 2 && second == 100..<200)
        let start = panels7.offset(panel: 1, chunk: second)
        #expect(start == 100 * 7 + 4 * 100)
        // Panel 1 holds rows 4, 5, 6; its first `k` of the chunk is 100.
        let expected: [Float] = [900, 1100, 1300, 901, 1101, 1301]
        #expect(Array(chunked[start..<(start + 6)]) == expected)
    }
}
