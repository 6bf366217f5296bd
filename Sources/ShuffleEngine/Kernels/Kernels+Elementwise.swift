extension Kernels {
    /// Channel shuffle: output channel `c` is a copy of input plane
    /// `Reference.shuffleSource(of: c, ...)` (see `ShuffleConvention`).
    ///
    /// - Parameters: input and output `[n, c, h, w]`, `c` divisible by `groups`.
    static func channelShuffle(
        groups: Int, convention: ShuffleConvention, input: TensorView, output: MutableTensorView,
        context: KernelContext
    ) {
        let split = ChannelSplit(planes: input.shape.n * input.shape.c, workPerPlane: input.shape.plane)
        context.pool.parallelFor(split.tasks, ShuffleJob(split: split, groups: groups, convention: convention, input: input, output: output))
    }

    /// `output = a + b`, then ReLU if asked. All three `[n, c, h, w]`, contiguous (checked: the
    /// kernel walks them as flat arrays).
    static func add(_ a: TensorView, _ b: TensorView, relu: Bool, output: MutableTensorView, context: KernelContext) {
        precondition(a.isContiguous && b.isContiguous && output.isContiguous, "add walks its tensors as flat arrays")
        let job = AddJob(a: a.base, b: b.base, output: output.base, count: output.shape.count, relu: relu)
        context.pool.parallelFor((job.count + AddJob.chunk - 1) / AddJob.chunk, job)
    }

    /// Inputs `[n, c_i, h, w]` stacked along channels into `[n, Σ c_i, h, w]`, then ReLU if asked.
    static func concat(_ inputs: [TensorView], relu: Bool, output: MutableTensorView, context: KernelContext) {
        context.pool.parallelFor(output.shape.n * inputs.count, ConcatJob(inputs: inputs, relu: relu, output: output))
    }

    /// Channels `start ..< start + output.shape.c` of `input`, plane by plane (either side may be
    /// a channel slice of a wider tensor: batch items are read and written at their own strides).
    /// With `shuffle`, of the input as that channel shuffle would have permuted it.
    static func channelSlice(
        start: Int, input: TensorView, output: MutableTensorView,
        shuffle: (groups: Int, convention: ShuffleConvention)? = nil, context: KernelContext
    ) {
        let split = ChannelSplit(planes: output.shape.n * output.shape.c, workPerPlane: output.shape.plane)
        context.pool.parallelFor(
            split.tasks, SliceJob(split: split, start: start, shuffle: shuffle, input: input, output: output))
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

/// One task of `channelShuffle`: copies of whole planes.
private struct ShuffleJob: ParallelJob {
    var split: ChannelSplit
    var groups: Int
    var convention: ShuffleConvention
    var input: TensorView
    var output: MutableTensorView

    func run(task: Int, worker: Int) {
        let channels = input.shape.c, plane = input.shape.plane
        for index in split.planes(task) {
            let n = index / channels, c = index % channels
            let source = Reference.shuffleSource(of: c, channels: channels, groups: groups, convention: convention)
            output.plane(n: n, channel: c).update(from: input.plane(n: n, channel: source), count: plane)
        }
    }
}

/// One task of `channelSlice`: copies of whole planes.
private struct SliceJob: ParallelJob {
    var split: ChannelSplit
    var start: Int
    var shuffle: (groups: Int, convention: ShuffleConvention)?
    var input: TensorView
    var output: MutableTensorView

    func run(task: Int, worker: Int) {
        let channels = output.shape.c, plane = output.shape.plane
        for index in split.planes(task) {
            let n = index / channels, c = index % channels
            var source = start + c
            if let shuffle {
                source = Reference.shuffleSource(
                    of: source, channels: input.shape.c, groups: shuffle.groups, convention: shuffle.convention)
            }
            output.plane(n: n, channel: c).update(from: input.plane(n: n, channel: source), count: plane)
        }
    }
}

/// One task of `add`: a chunk of 16k elements.
private struct AddJob: ParallelJob {
    static let chunk = 16_384
    var a: UnsafePointer<Float>
    var b: UnsafePointer<Float>
    var output: UnsafeMutablePointer<Float>
    var count: Int
    var relu: Bool

    func run(task: Int, worker: Int) {
        let start = task * Self.chunk, end = min(count, start + Self.chunk)
        var i = start
        while i + 8 <= end {
            var value = a.vector(at: i) + b.vector(at: i)
            if relu { value = rectified(value) }
            output.store(value, at: i)
            i += 8
        }
        while i < end {
            let value = a[i] + b[i]
            output[i] = relu ? rectified(value) : value
            i += 1
        }
    }
}

/// One task of `concat`: one input's block of one batch item.
private struct ConcatJob: ParallelJob {
    var inputs: [TensorView]
    var relu: Bool
    var output: MutableTensorView

    func run(task: Int, worker: Int) {
        let n = task / inputs.count, which = task % inputs.count
        var firstChannel = 0
        for earlier in 0..<which { firstChannel += inputs[earlier].shape.c }
        let source = inputs[which].plane(n: n, channel: 0)
        let destination = output.plane(n: n, channel: firstChannel)
        let count = inputs[which].shape.item
        if relu {
            Kernels.rectify(source, into: destination, count: count)
        } else {
            destination.update(from: source, count: count)
        }
    }
}
