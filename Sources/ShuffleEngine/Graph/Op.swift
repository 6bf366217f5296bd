import ShuffleKernelCore
/// The order in which a channel shuffle interleaves groups.
///
/// For `C = g·n` channels:
/// - `paper` (the ShuffleNet paper, torchvision, ncnn): view as `(g, n)`, transpose, flatten;
///   output channel `j·g + i` takes input channel `i·n + j`. g=2, C=6 gives `[0,3,1,4,2,5]`.
/// - `authors` (the authors' released code): view as `(n, g)`, transpose, flatten — the inverse
///   permutation; output `i·n + j` takes input `j·g + i`. g=2, C=6 gives `[0,2,4,1,3,5]`.
/// - `disabled`: the identity, for the paper's Table 3 "no shuffle" ablation.
public enum ShuffleConvention: String, Sendable, CaseIterable, Codable {
    case paper
    case authors
    case disabled
}

/// A 2-D convolution with batch norm already folded in, and an optional fused ReLU.
public struct Convolution: Sendable, Equatable {
    public var inputChannels: Int
    public var outputChannels: Int
    public var kernelSize: Int
    public var stride: Int
    public var padding: Int
    public var groups: Int
    public var relu: Bool
    /// `[outputChannels, inputChannels / groups, kernelSize, kernelSize]`. Every change repacks
    /// `packedWeight`: change a copy element by element, then assign it once.
    public var weight: [Float] { didSet { packedWeight = Self.packed(weight, self) } }
    /// `weight` as the matrix-product kernels read it: each group's `[outputs / groups, inputs /
    /// groups · k · k]` matrix in register-tile panels (`RowPanels`), at the group's offset in
    /// `weight`, then 8 zeros. (Depthwise convolutions run from `weight` itself.)
    public private(set) var packedWeight: [Float]
    /// `[outputChannels]`
    public var bias: [Float]

    public init(
        inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int, padding: Int,
        groups: Int, relu: Bool, weight: [Float], bias: [Float]
    ) {
        precondition(inputChannels % groups == 0 && outputChannels % groups == 0)
        precondition(weight.count == outputChannels * (inputChannels / groups) * kernelSize * kernelSize)
        precondition(bias.count == outputChannels)
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.groups = groups
        self.relu = relu
        self.weight = weight
        self.bias = bias
        packedWeight = []
        packedWeight = Self.packed(weight, self)
    }

    private static func packed(_ weight: [Float], _ conv: Convolution) -> [Float] {
        RowPanels.packed(
            weight, groups: conv.groups, rows: conv.outputChannels / conv.groups,
            depth: conv.inputChannels / conv.groups * conv.kernelSize * conv.kernelSize)
    }

    /// Output spatial size for an input of `size` along one axis.
    public func outputSize(_ size: Int) -> Int { (size + 2 * padding - kernelSize) / stride + 1 }

    /// What kind of convolution this is; the one definition every report, view and kernel uses.
    public var kind: ConvolutionKind {
        ConvolutionKind(groups: groups, inputChannels: inputChannels, outputChannels: outputChannels)
    }
}

/// Dense, grouped or depthwise: how a convolution's channels connect.
public enum ConvolutionKind: String, Sendable, Equatable {
    /// Every output channel reads every input channel (`groups == 1`).
    case dense
    /// `groups > 1` blocks of channels, each reading only its own block of inputs.
    case grouped
    /// One input channel per output channel (`groups == inputChannels == outputChannels > 1`).
    case depthwise

    /// The kind of a convolution with these channels and groups.
    public init(groups: Int, inputChannels: Int, outputChannels: Int) {
        if groups > 1 && groups == inputChannels && groups == outputChannels {
            self = .depthwise
        } else {
            self = groups > 1 ? .grouped : .dense
        }
    }
}

/// A fully connected layer `y = W x + b`.
public struct Linear: Sendable, Equatable {
    public var inputFeatures: Int
    public var outputFeatures: Int
    /// `[outputFeatures, inputFeatures]`. Every change repacks `packedWeight`.
    public var weight: [Float] {
        didSet { packedWeight = LinearRows.packed(weight, features: inputFeatures, outputs: outputFeatures) }
    }
    /// `weight` in the order the classifier kernel reads it (`LinearRows.packed`).
    public private(set) var packedWeight: [Float]
    /// `[outputFeatures]` (zeros when the checkpoint has no bias)
    public var bias: [Float]

    public init(inputFeatures: Int, outputFeatures: Int, weight: [Float], bias: [Float]) {
        precondition(weight.count == inputFeatures * outputFeatures && bias.count == outputFeatures)
        self.inputFeatures = inputFeatures
        self.outputFeatures = outputFeatures
        self.weight = weight
        self.bias = bias
        packedWeight = LinearRows.packed(weight, features: inputFeatures, outputs: outputFeatures)
    }
}

/// A square pooling window.
public struct PoolWindow: Sendable, Equatable {
    public var kernelSize: Int
    public var stride: Int
    public var padding: Int
    /// Average pooling only: whether padded cells count in the divisor (PyTorch's and ONNX's
    /// `count_include_pad`; PyTorch's default, and ShuffleNet v1's shortcut, count them).
    public var countsPadding: Bool

    public init(kernelSize: Int, stride: Int, padding: Int, countsPadding: Bool = true) {
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.countsPadding = countsPadding
    }

    public func outputSize(_ size: Int) -> Int { (size + 2 * padding - kernelSize) / stride + 1 }
}

/// Every operation the engine can run. One exhaustive `switch` over this enum is the single
/// place that dispatches work (see `Kernels.run`).
public enum Op: Sendable, Equatable {
    /// Convolution (+ folded BN, + optional ReLU).
    case convolution(Convolution)
    /// Max pooling; padded cells never win.
    case maxPool(PoolWindow)
    /// Average pooling; the window says whether padded cells count in the divisor.
    case averagePool(PoolWindow)
    /// Mean over each channel's plane: `[n, c, h, w] -> [n, c, 1, 1]`.
    case globalAveragePool
    /// Channel shuffle of `groups` groups in the given convention.
    case channelShuffle(groups: Int, convention: ShuffleConvention)
    /// Element-wise sum of two inputs, then optional ReLU.
    case add(relu: Bool)
    /// Concatenate inputs along channels, then optional ReLU.
    case concat(relu: Bool)
    /// Channels `start ..< start + count` of the input: one half of ShuffleNet v2's channel split.
    case channelSlice(start: Int, count: Int)
    /// Fully connected layer over `c·h·w` features.
    case linear(Linear)
    /// Softmax over channels.
    case softmax

    /// A short stable name for tables and JSON (`conv`, `shuffle`, ...).
    public var kind: String {
        switch self {
        case .convolution(let conv):
            let base: String
            switch conv.kind {
            case .depthwise: base = "dwconv"
            case .grouped: base = "gconv"
            case .dense: base = "conv"
            }
            return "\(base)\(conv.kernelSize)x\(conv.kernelSize)"
        case .maxPool: return "maxpool"
        case .averagePool: return "avgpool"
        case .globalAveragePool: return "gap"
        case .channelShuffle: return "shuffle"
        case .add: return "add"
        case .concat: return "concat"
        case .channelSlice: return "split"
        case .linear: return "linear"
        case .softmax: return "softmax"
        }
    }
}
