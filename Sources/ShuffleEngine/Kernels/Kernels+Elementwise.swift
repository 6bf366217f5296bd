extension Kernels {
    /// Channel shuffle: output channel `c` is a copy of input plane
    /// `Reference.shuffleSource(of: c, ...)` (see `ShuffleConvention`).
    ///
    /// - Parameters: input and output `[n, c, h, w]`, `c` divisible by `groups`.
    static func channelShuffle(
        groups: Int, convention: ShuffleConvention, input: TensorView, output: MutableTensorView,
        context: KernelContext
    ) {
        let channels = input.shape.c, plane = input.shape.plane
        let split = ChannelSplit(planes: input.shape.n * channels, workPerPlane: plane)
        context.pool.parallelFor(split.tasks) { task, _ in
            for index in split.planes(task) {
                let n = index / channels, c = index % channels
                let source = Reference.shuffleSource(of: c, channels: channels, groups: groups, convention: convention)
                output.plane(n: n, channel: c).update(from: input.plane(n: n, channel: source), count: plane)
            }
        }
    }

    /// `output = a + b`, then ReLU if asked. All three `[n, c, h, w]`.
    static func add(_ a: TensorView, _ b: TensorView, relu: Bool, output: MutableTensorView, context: KernelContext) {
        let count = output.shape.count
        let chunk = 16_384
        context.pool.parallelFor((count + chunk - 1) / chunk) { task, _ in
            let start = task * chunk, end = min(count, start + chunk)
            var i = start
            while i + 8 <= end {
                var value = a.base.vector(at: i) + b.base.vector(at: i)
                if relu { value = rectified(value) }
                output.base.store(value, at: i)
                i += 8
            }
            while i < end {
                let value = a.base[i] + b.base[i]
                output.base[i] = relu ? rectified(value) : value
                i += 1
            }
        }
    }

    /// Inputs `[n, c_i, h, w]` stacked along channels into `[n, Σ c_i, h, w]`, then ReLU if asked.
    static func concat(_ inputs: [TensorView], relu: Bool, output: MutableTensorView, context: KernelContext) {
        let batch = output.shape.n
        context.pool.parallelFor(batch * inputs.count) { task, _ in
            let n = task / inputs.count, which = task % inputs.count
            var firstChannel = 0
            for earlier in 0..<which { firstChannel += inputs[earlier].shape.c }
            let source = inputs[which].plane(n: n, channel: 0)
            let destination = output.plane(n: n, channel: firstChannel)
            let count = inputs[which].shape.item
            if relu {
                rectify(source, into: destination, count: count)
            } else {
                destination.update(from: source, count: count)
            }
        }
    }

    /// `destination[i] = max(source[i], 0)` for `i < count`.
    static func rectify(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 8 <= count {
            destination.store(rectified(source.vector(at: i)), at: i)
            i += 8
        }
        while i < count {
            destination[i] = rectified(source[i])
            i += 1
        }
    }
}
