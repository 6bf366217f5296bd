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
        linear.weight.withUnsafeBufferPointer { weight in
            linear.bias.withUnsafeBufferPointer { bias in
                guard let weight = weight.baseAddress, let bias = bias.baseAddress else { return }
                context.pool.parallelFor(parts, LinearJob(
                    rowsPerTask: rowsPerTask, features: linear.inputFeatures, outputs: linear.outputFeatures,
                    batch: output.shape.n, weight: weight, bias: bias, input: input.base, output: output.base))
            }
        }
    }

    /// `Σ a[i] · b[i]` with four independent vector sums so the multiply-adds overlap.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var s0 = Vector(), s1 = Vector(), s2 = Vector(), s3 = Vector()
        var i = 0
        while i + 32 <= count {
            s0 = multiplyAdd(s0, a.vector(at: i), b.vector(at: i))
            s1 = multiplyAdd(s1, a.vector(at: i + 8), b.vector(at: i + 8))
            s2 = multiplyAdd(s2, a.vector(at: i + 16), b.vector(at: i + 16))
            s3 = multiplyAdd(s3, a.vector(at: i + 24), b.vector(at: i + 24))
            i += 32
        }
        while i + 8 <= count {
            s0 = multiplyAdd(s0, a.vector(at: i), b.vector(at: i))
            i += 8
        }
        var total = ((s0 + s1) + (s2 + s3)).sum()
        while i < count {
            total = multiplyAdd(total, a[i], b[i])
            i += 1
        }
        return total
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

/// One task of `linear`: a block of outputs for every batch item, so each weight row is read
/// from memory once. Rows go four at a time: one load of the input serves four rows' multiply-adds,
/// and four weight streams in flight hide more of the latency of fetching the weights (3.75 MB
/// for ShuffleNet's classifier, beyond L2) than one row's stream does.
private struct LinearJob: ParallelJob {
    var rowsPerTask: Int
    var features: Int
    var outputs: Int
    var batch: Int
    /// `[outputs, features]`
    var weight: UnsafePointer<Float>
    var bias: UnsafePointer<Float>
    /// `[batch, features]`
    var input: UnsafePointer<Float>
    /// `[batch, outputs]`
    var output: UnsafeMutablePointer<Float>

    func run(task: Int, worker: Int) {
        let end = min(outputs, (task + 1) * rowsPerTask)
        var o = task * rowsPerTask
        while o + 4 <= end {
            for n in 0..<batch { fourRows(o, n) }
            o += 4
        }
        while o < end {
            for n in 0..<batch {
                output[n * outputs + o] = bias[o] + Kernels.dot(weight + o * features, input + n * features, count: features)
            }
            o += 1
        }
    }

    /// Outputs `o..<o + 4` of batch item `n`: two vector sums per row, eight in all.
    @inline(__always)
    private func fourRows(_ o: Int, _ n: Int) {
        let x = input + n * features
        let w0 = weight + o * features, w1 = w0 + features, w2 = w1 + features, w3 = w2 + features
        var s00 = Vector(), s01 = Vector(), s10 = Vector(), s11 = Vector()
        var s20 = Vector(), s21 = Vector(), s30 = Vector(), s31 = Vector()
        var i = 0
        while i + 16 <= features {
            let xa = x.vector(at: i), xb = x.vector(at: i + 8)
            s00 = multiplyAdd(s00, w0.vector(at: i), xa)
            s01 = multiplyAdd(s01, w0.vector(at: i + 8), xb)
            s10 = multiplyAdd(s10, w1.vector(at: i), xa)
            s11 = multiplyAdd(s11, w1.vector(at: i + 8), xb)
            s20 = multiplyAdd(s20, w2.vector(at: i), xa)
            s21 = multiplyAdd(s21, w2.vector(at: i + 8), xb)
            s30 = multiplyAdd(s30, w3.vector(at: i), xa)
            s31 = multiplyAdd(s31, w3.vector(at: i + 8), xb)
            i += 16
        }
        if i + 8 <= features {
            let xa = x.vector(at: i)
            s00 = multiplyAdd(s00, w0.vector(at: i), xa)
            s10 = multiplyAdd(s10, w1.vector(at: i), xa)
            s20 = multiplyAdd(s20, w2.vector(at: i), xa)
            s30 = multiplyAdd(s30, w3.vector(at: i), xa)
            i += 8
        }
        var t0 = (s00 + s01).sum(), t1 = (s10 + s11).sum(), t2 = (s20 + s21).sum(), t3 = (s30 + s31).sum()
        while i < features {
            t0 = multiplyAdd(t0, w0[i], x[i])
            t1 = multiplyAdd(t1, w1[i], x[i])
            t2 = multiplyAdd(t2, w2[i], x[i])
            t3 = multiplyAdd(t3, w3[i], x[i])
            i += 1
        }
        let y = output + n * outputs + o
        y[0] = bias[o] + t0
        y[1] = bias[o + 1] + t1
        y[2] = bias[o + 2] + t2
        y[3] = bias[o + 3] + t3
    }
}
