import ShuffleKernelCore
import Foundation

extension Kernels {
    /// Mean of each channel's plane: `[n, c, h, w] -> [n, c, 1, 1]`.
    static func globalAveragePool(input: TensorView, output: MutableTensorView, context: KernelContext) {
        precondition(input.isContiguous && output.isContiguous, "the global pool walks its planes as one array")
        let plane = input.shape.plane
        let split = ChannelSplit(planes: input.shape.n * input.shape.c, workPerPlane: plane)
        context.pool.parallelFor(split.tasks, GlobalAverageJob(split: split, input: input.base, output: output.base, plane: plane))
    }

    /// Sum of `count` floats, eight lanes at a time, lanes added last.
    @inline(__always)
    static func sum(_ values: UnsafePointer<Float>, count: Int) -> Float {
        var lanes = Vector()
        var i = 0
        while i + 8 <= count {
            lanes += values.vector(at: i)
            i += 8
        }
        var total = lanes.sum()
        while i < count {
            total += values[i]
            i += 1
        }
        return total
    }

    /// `y[n, o] = b[o] + Σ_i W[o, i] · x[n, i]` over the `c·h·w` features of each batch item.
    ///
    /// - Parameters:
    ///   - linear: weight `[outputFeatures, inputFeatures]`, bias `[outputFeatures]`
    ///   - input: `[n, c, h, w]` with `c·h·w == inputFeatures`
    ///   - output: `[n, outputFeatures, 1, 1]`
    static func linear(_ linear: Linear, input: TensorView, output: MutableTensorView, context: KernelContext) {
        precondition(input.isContiguous && output.isContiguous, "the classifier reads its batch as one matrix")
        // About 32k weights a task, in whole blocks of four rows.
        let rowsPerTask = (max(1, 32_768 / max(1, linear.inputFeatures)) + 3) / 4 * 4
        let parts = (linear.outputFeatures + rowsPerTask - 1) / rowsPerTask
        linear.packedWeight.withUnsafeBufferPointer { weight in
            linear.bias.withUnsafeBufferPointer { bias in
                guard let weight = weight.baseAddress, let bias = bias.baseAddress else { return }
                context.pool.parallelFor(parts, LinearJob(
                    kernels: context.kernels, rowsPerTask: rowsPerTask, layer: LinearRows(
                        features: linear.inputFeatures, outputs: linear.outputFeatures, batch: output.shape.n,
                        weight: weight, bias: bias, input: input.base, output: output.base)))
            }
        }
    }

    /// Softmax over the `c·h·w` values of each batch item, shifted by the maximum so `exp`
    /// cannot overflow. Small (one vector of logits), so it runs on the calling thread.
    static func softmax(input: TensorView, output: MutableTensorView) {
        precondition(input.isContiguous && output.isContiguous, "softmax reads its batch as one matrix")
        let width = input.shape.item
        for n in 0..<input.shape.n {
            let x = input.base + n * width, y = output.base + n * width
            var largest = -Float.infinity
            for i in 0..<width { largest = max(largest, x[i]) }
            var total = 0.0
            for i in 0..<width {
                let e = Foundation.exp(x[i] - largest)
                y[i] = e
                total += Double(e)
            }
            let scale = Float(1 / total)
            for i in 0..<width { y[i] *= scale }
        }
    }
}

/// One task of `globalAveragePool`: a run of whole planes.
private struct GlobalAverageJob: ParallelJob {
    var split: ChannelSplit
    var input: UnsafePointer<Float>
    var output: UnsafeMutablePointer<Float>
    var plane: Int

    func run(task: Int, worker: Int) {
        let scale = 1 / Float(plane)
        for index in split.planes(task) {
            output[index] = Kernels.sum(input + index * plane, count: plane) * scale
        }
    }
}

/// One task of `linear`: a block of outputs for every batch item (see `LinearRows`).
private struct LinearJob: ParallelJob {
    var kernels: any KernelSet.Type
    var rowsPerTask: Int
    var layer: LinearRows

    func run(task: Int, worker: Int) {
        kernels.linear(layer, rows: (task * rowsPerTask)..<min(layer.outputs, (task + 1) * rowsPerTask))
    }
}
