/// The optimised kernels: one exhaustive dispatch over `Op`.
///
/// Every kernel writes into memory the caller provides and takes its threads and scratch from
/// a `KernelContext`, so a planned forward pass runs without allocating. Each is checked
/// against `Reference` over grids of shapes in the tests.
public enum Kernels {
    /// Runs `op` on `inputs`, writing `output` (which must not overlap any input).
    ///
    /// The shapes must be the ones `op.outputShape(for:)` accepts and returns; `Graph`
    /// construction and the executors check that once, so kernels do not check again.
    public static func run(_ op: Op, inputs: [TensorView], output: MutableTensorView, context: KernelContext) {
        run(op, inputs: inputs, output: output, fusion: .none, context: context)
    }

    /// `run` with element-wise work folded in; `canApply(fusion, to: op)` must hold.
    static func run(_ op: Op, inputs: [TensorView], output: MutableTensorView, fusion: Fusion, context: KernelContext) {
        switch op {
        case .convolution(let conv):
            switch convolutionPath(conv) {
            case .pointwise:
                pointwiseConvolution(conv, input: inputs[0], output: output, fusion: fusion, context: context)
            case .depthwise:
                depthwiseConvolution(conv, input: inputs[0], output: output, fusion: fusion, context: context)
            case .general:
                if let pool = fusion.pool {
                    pooledConvolution(
                        conv, pool: pool.window, average: pool.average, input: inputs[0], output: output, relu: fusion.relu,
                        context: context)
                } else {
                    generalConvolution(conv, input: inputs[0], output: output, fusion: fusion, context: context)
                }
            }
        case .maxPool(let window):
            pooling(window, average: false, input: inputs[0], output: output, relu: fusion.relu, context: context)
        case .averagePool(let window):
            pooling(window, average: true, input: inputs[0], output: output, relu: fusion.relu, context: context)
        case .globalAveragePool:
            globalAveragePool(input: inputs[0], output: output, context: context)
        case .channelShuffle(let groups, let convention):
            channelShuffle(groups: groups, convention: convention, input: inputs[0], output: output, context: context)
        case .add(let relu):
            add(inputs[0], inputs[1], relu: relu, output: output, context: context)
        case .concat(let relu):
            concat(inputs, relu: relu, output: output, context: context)
        case .channelSlice(let start, _):
            channelSlice(start: start, input: inputs[0], output: output, shuffle: fusion.inputShuffle, context: context)
        case .linear(let linear):
            self.linear(linear, input: inputs[0], output: output, context: context)
        case .softmax:
            softmax(input: inputs[0], output: output)
        }
    }

    /// Floats of scratch each worker needs to run `op` (kernels reserve it themselves; a
    /// planned pass reserves the largest up front so no run allocates).
    public static func scratchFloats(for op: Op, output: Shape, inputs: [Shape]) -> Int {
        scratchFloats(for: op, output: output, inputs: inputs, fusion: .none)
    }

    /// `scratchFloats` of `run` with `fusion` folded in (`output` is what that run writes).
    static func scratchFloats(for op: Op, output: Shape, inputs: [Shape], fusion: Fusion) -> Int {
        switch op {
        case .convolution(let conv):
            switch convolutionPath(conv) {
            case .pointwise: return 0
            case .depthwise: return depthwiseScratch(conv, input: inputs[0], output: output)
            case .general:
                if let pool = fusion.pool {
                    return pooledConvolutionScratch(
                        conv, pool: pool.window, average: pool.average, input: inputs[0], output: output)
                }
                return generalConvolutionScratch(conv, input: inputs[0], output: output)
            }
        case .maxPool(let window), .averagePool(let window):
            return poolingScratch(window, input: inputs[0], output: output)
        case .globalAveragePool, .channelShuffle, .add, .concat, .channelSlice, .linear, .softmax:
            return 0
        }
    }

    /// Which convolution kernel runs a convolution.
    enum ConvolutionPath {
        /// 1×1, stride 1, no padding: a matrix product per group.
        case pointwise
        /// One input and one output channel per group.
        case depthwise
        /// Anything else: gathered patches times weights.
        case general
    }

    static func convolutionPath(_ conv: Convolution) -> ConvolutionPath {
        if conv.kernelSize == 1 && conv.stride == 1 && conv.padding == 0 { return .pointwise }
        if conv.kind == .depthwise || (conv.groups == 1 && conv.inputChannels == 1 && conv.outputChannels == 1) {
            return .depthwise
        }
        return .general
    }

    /// Runs `op` on tensors and returns a new tensor of `outputShape`, on `context`'s threads
    /// (one thread with a private context when none is given).
    public static func run(_ op: Op, inputs: [Tensor], outputShape: Shape, context: KernelContext? = nil) -> Tensor {
        let context = context ?? KernelContext(threads: 1)
        let storage = [Float](unsafeUninitializedCapacity: outputShape.count) { buffer, initialized in
            if let base = buffer.baseAddress {
                withViews(of: inputs[...]) { views in
                    run(op, inputs: views, output: MutableTensorView(base: base, shape: outputShape), context: context)
                }
            }
            initialized = outputShape.count
        }
        return Tensor(shape: outputShape, storage: storage)
    }

    /// Calls `body` with views of every tensor's storage, valid for the duration of the call.
    static func withViews<R>(of tensors: ArraySlice<Tensor>, _ views: [TensorView] = [], _ body: ([TensorView]) -> R) -> R {
        guard let first = tensors.first else { return body(views) }
        return first.storage.withUnsafeBufferPointer { buffer in
            // An empty tensor has no base address; any pointer will do, since nothing is read.
            let base = buffer.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<Float>.alignment)
            guard let base else { return body(views) }
            return withViews(of: tensors.dropFirst(), views + [TensorView(base: base, shape: first.shape)], body)
        }
    }
}
