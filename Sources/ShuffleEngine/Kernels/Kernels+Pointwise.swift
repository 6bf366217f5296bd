import ShuffleKernelCore

extension Kernels {
    /// 1×1 convolution, stride 1, no padding, any groups: per batch item and group a matrix product
    /// `out[oc, p] = act(b[oc] + Σ_ic W[oc, ic] · x[ic, p])` with `M = outputs / groups` rows,
    /// `K = inputs / groups` depth and `N = h·w` columns.
    ///
    /// - Parameters:
    ///   - input: `[n, inputChannels, h, w]`
    ///   - output: `[n, outputChannels, h, w]`
    static func pointwiseConvolution(
        _ conv: Convolution, input: TensorView, output: MutableTensorView, fusion: Fusion = .none,
        context: KernelContext
    ) {
        let rows = conv.outputChannels / conv.groups
        let depth = conv.inputChannels / conv.groups
        let columns = output.shape.plane
        let split = WorkSplit(
            items: output.shape.n * conv.groups, rows: rows, columns: columns, multiplyAddsPerOutput: depth,
            threads: context.threads)
        conv.packedWeight.withUnsafeBufferPointer { weight in
            conv.bias.withUnsafeBufferPointer { bias in
                guard let weight = weight.baseAddress, let bias = bias.baseAddress else { return }
                context.pool.parallelFor(split.tasks, PointwiseJob(
                    kernels: context.kernels, split: split, groups: conv.groups, rows: rows, depth: depth, weight: weight,
                    bias: bias, input: input, output: output, relu: conv.relu, fusion: fusion))
            }
        }
    }

    /// Whether a pointwise convolution may write its output over its fused residual: each output
    /// reads only its own residual element, in the epilogue just before storing it, unless the
    /// depth is long enough to be chunked (partial sums would overwrite the residual first).
    static func pointwiseCanOverwriteResidual(_ conv: Convolution) -> Bool {
        convolutionPath(conv) == .pointwise && !MatrixMultiply.chunksDepth(conv.inputChannels / conv.groups)
    }
}

/// One task of `pointwiseConvolution`: a block of rows and columns of one group's product.
private struct PointwiseJob: ParallelJob {
    var kernels: any KernelSet.Type
    var split: WorkSplit
    var groups: Int
    var rows: Int
    var depth: Int
    /// `Convolution.packedWeight`
    var weight: UnsafePointer<Float>
    var bias: UnsafePointer<Float>
    var input: TensorView
    var output: MutableTensorView
    var relu: Bool
    var fusion: Fusion

    func run(task: Int, worker: Int) {
        let part = split.part(task)
        let n = part.item / groups, group = part.item % groups
        let firstRow = group * rows
        kernels.multiply(MatrixMultiply(
            a: weight + firstRow * depth, panels: split.panels, panelRange: part.panels,
            b: input.plane(n: n, channel: group * depth) + part.columns.lowerBound, leadingB: input.shape.plane,
            c: output.plane(n: n, channel: firstRow) + part.columns.lowerBound, leadingC: output.shape.plane,
            bias: bias + firstRow, depth: depth, columns: part.columns.count,
            relu: relu,
            residual: fusion.residual.map { $0.plane(n: n, channel: firstRow) + part.columns.lowerBound },
            finalRelu: fusion.relu
        ), wideTiles: kernels.wideTiles)
    }
}

/// Cuts independent matrix products (`items` of them, each `rows × columns` outputs) into
/// tasks for the thread pool, rows between weight panels. The cut depends only on the shapes,
/// never on the thread count.
struct WorkSplit {
    var items: Int
    var panels: RowPanels
    var columns: Int
    var rowParts: Int
    var columnParts: Int

    /// On several threads, aims for a dozen or more tasks (enough to balance two to four threads
    /// when the machine is shared) without making any task smaller than about 20k multiply-adds
    /// or narrower than 64 columns, where per-task overhead and reloading the weights would start
    /// to show. On one thread every item is one task: nothing to balance, nothing to reload.
    init(items: Int, rows: Int, columns: Int, multiplyAddsPerOutput: Int, threads: Int) {
        self.items = items
        panels = RowPanels(rows: rows)
        self.columns = columns
        let work = max(1, rows * columns * multiplyAddsPerOutput)
        let wanted = threads == 1 ? 1 : min(16, max(1, items * work / 20_000))
        var columnParts = 1
        var rowParts = 1
        while items * rowParts * columnParts < wanted {
            if columns / (columnParts + 1) >= 64 {
                columnParts += 1
            } else if panels.count / (rowParts + 1) >= 2 {
                rowParts += 1
            } else {
                break
            }
        }
        self.rowParts = rowParts
        self.columnParts = columnParts
    }

    var tasks: Int { items * rowParts * columnParts }

    /// The item, weight panels and column range of one task. Column cuts fall on multiples of
    /// 16 so only the last part of a row has a narrow tail.
    func part(_ task: Int) -> (item: Int, panels: Range<Int>, columns: Range<Int>) {
        let columnPart = task % columnParts
        let rowPart = (task / columnParts) % rowParts
        let item = task / (columnParts * rowParts)
        func panelCut(_ part: Int) -> Int { part * panels.count / rowParts }
        func columnCut(_ part: Int) -> Int { part == columnParts ? columns : part * columns / columnParts / 16 * 16 }
        return (item, panelCut(rowPart)..<panelCut(rowPart + 1), columnCut(columnPart)..<columnCut(columnPart + 1))
    }
}
