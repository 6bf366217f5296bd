/// Element-wise work a kernel does on its way in or out, so a planned pass can drop the node
/// that would have done it (see `ForwardPass`). Each is applied exactly as the dropped node
/// would have, so fused and unfused runs give bit-identical results.
struct Fusion {
    /// Added to the output after the op's own bias and ReLU: the other input of a fused `add`.
    /// Same shape as the output.
    var residual: TensorView?
    /// ReLU after everything else: the ReLU of a fused `add` or `concat`.
    var relu = false
    /// Read input channel `Reference.shuffleSource(of: c, …)` where the op reads channel `c`:
    /// a channel shuffle folded into the depthwise convolution or the channel slices after it.
    var inputShuffle: (groups: Int, convention: ShuffleConvention)?
    /// Pool the output before storing it: a pooling folded into the general convolution before
    /// it (the stem's max pool). The kernel writes the pooled tensor; the convolution's own
    /// output only passes through scratch (see `Kernels.pooledConvolution`).
    var pool: (window: PoolWindow, average: Bool)?

    static var none: Fusion { Fusion() }
}

extension Kernels {
    /// Whether `op`'s kernel can apply `fusion`.
    static func canApply(_ fusion: Fusion, to op: Op) -> Bool {
        switch op {
        case .convolution(let conv):
            switch convolutionPath(conv) {
            case .pointwise: return fusion.inputShuffle == nil && fusion.pool == nil
            case .general: return fusion.inputShuffle == nil && (fusion.pool == nil || fusion.residual == nil)
            case .depthwise: return fusion.residual == nil && fusion.pool == nil
            }
        case .maxPool, .averagePool:
            return fusion.residual == nil && fusion.inputShuffle == nil && fusion.pool == nil
        case .channelSlice:
            return fusion.residual == nil && !fusion.relu && fusion.pool == nil
        case .globalAveragePool, .channelShuffle, .add, .concat, .linear, .softmax:
            return fusion.residual == nil && fusion.inputShuffle == nil && !fusion.relu && fusion.pool == nil
        }
    }
}
