/// A 3×3 stride-2 convolution of a few input channels (ShuffleNet's stem: 3 → 24 or 48 channels),
/// optionally with a 3×3 stride-2 max pool (padding 1) of its output folded in. One batch item;
/// `KernelSet.stem` computes a band of its rows.
///
/// The kernel reads the input straight from stride-2 phase rows in `scratch` (no patch matrix):
/// padded input column `q` goes to phase `q % 2`, index `q / 2`, so tap `kx` of output columns
/// `ox…ox+15` is one 16-float load at index `ox + kx / 2` of phase `kx % 2`. The phase rows live in
/// a ring of `ringRows` padded rows per input channel, filled as the convolution reaches them.
/// Register tiles (3 output channels × convolution rows 2m and 2m + 1 × 16 columns; 6 channels ×
/// one row × 16 where a row has no partner) add the `inputChannels · 9` taps in `(ic, ky, kx)`
/// order from the bias, the order `MatrixMultiply` uses, so each output has the bits the
/// patch-matrix path gives it. With the pool folded in, each convolution row goes into the running
/// maximum of the (at most two) pooled rows whose windows hold it, in increasing row order, which
/// is the order the pooling kernel combines rows in (a two-row tile finishes pooled row m's
/// maximum in registers); a pooled row is written once its last row is in.
///
/// - `output` without pool: `[outputChannels, outputHeight, outputWidth]`;
///   with pool: `[outputChannels, pooledHeight, pooledWidth]`.
public struct StemConvolution {
    /// `[inputChannels, inputHeight, inputWidth]`
    public var input: UnsafePointer<Float>
    public var inputChannels: Int
    public var inputHeight: Int
    public var inputWidth: Int
    public var padding: Int
    /// `[outputChannels, inputChannels, 3, 3]`
    public var weight: UnsafePointer<Float>
    /// `[outputChannels]`
    public var bias: UnsafePointer<Float>
    public var outputChannels: Int
    /// The convolution's output size.
    public var outputHeight: Int
    public var outputWidth: Int
    /// ReLU after the convolution (before any pooling).
    public var relu: Bool
    public var output: UnsafeMutablePointer<Float>
    /// Whether a 3×3 stride-2 max pool with padding 1 follows, and its output size.
    public var pools: Bool
    public var pooledHeight: Int
    public var pooledWidth: Int
    /// ReLU after the pooling.
    public var poolRelu: Bool
    /// `scratchFloats(…)` floats.
    public var scratch: UnsafeMutablePointer<Float>

    public init(
        input: UnsafePointer<Float>, inputChannels: Int, inputHeight: Int, inputWidth: Int, padding: Int,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, outputChannels: Int, relu: Bool,
        output: UnsafeMutablePointer<Float>, pools: Bool, poolRelu: Bool, scratch: UnsafeMutablePointer<Float>
    ) {
        self.input = input
        self.inputChannels = inputChannels
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.padding = padding
        self.weight = weight
        self.bias = bias
        self.outputChannels = outputChannels
        outputHeight = Self.outputSize(inputHeight, padding: padding)
        outputWidth = Self.outputSize(inputWidth, padding: padding)
        self.relu = relu
        self.output = output
        self.pools = pools
        pooledHeight = Self.pooledSize(outputHeight)
        pooledWidth = Self.pooledSize(outputWidth)
        self.poolRelu = poolRelu
        self.scratch = scratch
    }

    /// Whether the kernel computes this convolution: 3×3, stride 2, one group, at most 4 input
    /// channels, padding 0…2, an output at least 16 columns wide (one register tile).
    public static func applies(
        kernelSize: Int, stride: Int, groups: Int, inputChannels: Int, padding: Int, inputWidth: Int, inputHeight: Int
    ) -> Bool {
        kernelSize == 3 && stride == 2 && groups == 1 && inputChannels <= 4 && (0...2).contains(padding)
            && outputSize(inputWidth, padding: padding) >= 16 && inputHeight + 2 * padding >= 3
    }

    /// The convolution's output size along a side of `size`: `(size + 2·padding - 3) / 2 + 1`.
    public static func outputSize(_ size: Int, padding: Int) -> Int { (size + 2 * padding - 3) / 2 + 1 }

    /// The pooling's output size along a side of `size` convolution outputs: `(size - 1) / 2 + 1`.
    public static func pooledSize(_ size: Int) -> Int { (size - 1) / 2 + 1 }

    /// Channels of a register tile.
    public static let tileChannels = 6

    /// Floats of one phase row: every index a load reads, with room to spare.
    public var phaseRowFloats: Int { Self.phaseRowFloats(inputWidth: inputWidth, padding: padding) }

    static func phaseRowFloats(inputWidth: Int, padding: Int) -> Int { ((inputWidth + 2 * padding) / 2 + 24) / 8 * 8 }

    /// Floats of one running-maximum row: 8 before it (its left padding), 24 after.
    public var poolRowFloats: Int { outputWidth + 32 }

    /// Convolution rows a band of `rows` output rows (pooled rows when pooling) computes.
    public func convolutionRows(for rows: Range<Int>) -> Range<Int> {
        guard pools else { return rows }
        return max(0, 2 * rows.lowerBound - 1)..<min(outputHeight, 2 * rows.upperBound)
    }

    /// Padded input rows the kernel keeps per input channel: two convolution rows read five,
    /// and the next two rows' four new ones replace the four before them.
    public static let ringRows = 8

    /// Scratch for the kernel: the ring of phase rows (`inputChannels · ringRows · 2` rows),
    /// then, when pooling, two running-maximum rows per output channel and one tile's sums.
    public static func scratchFloats(
        inputChannels: Int, inputWidth: Int, padding: Int, outputChannels: Int, pools: Bool
    ) -> Int {
        let poolRow = outputSize(inputWidth, padding: padding) + 32
        return inputChannels * ringRows * 2 * phaseRowFloats(inputWidth: inputWidth, padding: padding)
            + (pools ? 2 * outputChannels * poolRow + 16 * tileChannels : 0) + 16
    }
}
