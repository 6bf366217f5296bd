import ShuffleEngine

/// One convolution of an architecture with the batch norm after it, described once.
///
/// Everything else derives from these descriptions: the shapes a checkpoint must hold, seeded
/// weights, batch-norm folding, the engine's `Convolution`, and parameter and multiply-add counts.
public struct ConvolutionSpec: Sendable, Equatable {
    /// How seeded (untrained) weights are scaled so activations stay near unit variance.
    public struct Seeding: Sendable, Equatable {
        /// He-uniform gain: 2 where a ReLU precedes or follows, 1 where the input is not rectified.
        public var gain: Double
        /// Centre of the seeded batch-norm γ (0.5 damps a residual branch).
        public var gamma: Double
        /// Extra divisor of the weights (255 for a stem that reads 0–255 pixels).
        public var inputScale: Double

        public init(gain: Double, gamma: Double = 1, inputScale: Double = 1) {
            self.gain = gain
            self.gamma = gamma
            self.inputScale = inputScale
        }
    }

    /// Module path of the convolution in the checkpoint: `features.3.branch_main_1.0`.
    public var module: String
    /// Module path of its batch norm: `features.3.branch_main_1.1`.
    public var batchNorm: String
    public var inputChannels: Int
    public var outputChannels: Int
    public var kernelSize: Int
    public var stride: Int
    public var groups: Int
    /// Whether a ReLU follows the batch norm.
    public var relu: Bool
    /// Spatial size of the output plane (for multiply-adds and memory traffic).
    public var outputSize: PlaneSize
    public var seeding: Seeding

    public init(
        module: String, batchNorm: String, inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1,
        groups: Int = 1, relu: Bool, outputSize: PlaneSize, seeding: Seeding
    ) {
        self.module = module
        self.batchNorm = batchNorm
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.groups = groups
        self.relu = relu
        self.outputSize = outputSize
        self.seeding = seeding
    }

    /// `kernelSize / 2`: every ShuffleNet convolution keeps its plane ("same") at stride 1.
    public var padding: Int { kernelSize / 2 }
    /// `[outputChannels, inputChannels / groups, k, k]`.
    public var weightShape: [Int] { [outputChannels, inputChannels / groups, kernelSize, kernelSize] }
    public var weightKey: String { module + ".weight" }
    public func batchNormKey(_ field: String) -> String { batchNorm + "." + field }

    public var kind: ConvolutionKind {
        ConvolutionKind(groups: groups, inputChannels: inputChannels, outputChannels: outputChannels)
    }

    /// The weight and the four batch-norm arrays with their shapes, in PyTorch's order.
    public var expectedShapes: [(key: String, shape: [Int])] {
        [(weightKey, weightShape)] + NetworkSpec.batchNormFields.map { (batchNormKey($0), [outputChannels]) }
    }

    /// PyTorch's parameter count: the weight, γ and β (running statistics are buffers).
    public var parameterCount: Int { weightShape.reduce(1, *) + 2 * outputChannels }

    /// Multiply-adds for one image: `out · (in / groups) · k² · H_out · W_out`.
    public var multiplyAdds: Int {
        outputChannels * (inputChannels / groups) * kernelSize * kernelSize * outputSize.area
    }

    /// The engine's convolution with the batch norm folded in.
    func folded(_ tensors: CheckpointTensors) throws(WeightsError) -> Convolution {
        func values(_ key: String) throws(WeightsError) -> [Float] { try tensors.tensor(key).values }
        let folded = BatchNormFolding.fold(
            weight: try values(weightKey), gamma: try values(batchNormKey("weight")),
            beta: try values(batchNormKey("bias")), mean: try values(batchNormKey("running_mean")),
            variance: try values(batchNormKey("running_var")))
        return Convolution(
            inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize, stride: stride,
            padding: padding, groups: groups, relu: relu, weight: folded.weight, bias: folded.bias)
    }
}

/// The fully connected classifier of an architecture.
public struct ClassifierSpec: Sendable, Equatable {
    /// `classifier.0` (the authors') or `fc` (torchvision).
    public var module: String
    public var inputFeatures: Int
    public var classes: Int
    /// torchvision's `fc` has a bias; the authors' classifiers do not.
    public var hasBias: Bool

    public init(module: String, inputFeatures: Int, classes: Int, hasBias: Bool) {
        self.module = module
        self.inputFeatures = inputFeatures
        self.classes = classes
        self.hasBias = hasBias
    }

    public var weightKey: String { module + ".weight" }
    public var biasKey: String { module + ".bias" }

    public var expectedShapes: [(key: String, shape: [Int])] {
        [(weightKey, [classes, inputFeatures])] + (hasBias ? [(biasKey, [classes])] : [])
    }

    public var parameterCount: Int { classes * inputFeatures + (hasBias ? classes : 0) }
    public var multiplyAdds: Int { classes * inputFeatures }

    func linear(_ tensors: CheckpointTensors) throws(WeightsError) -> Linear {
        let bias = hasBias ? try tensors.tensor(biasKey).values : [Float](repeating: 0, count: classes)
        return Linear(
            inputFeatures: inputFeatures, outputFeatures: classes, weight: try tensors.tensor(weightKey).values,
            bias: bias)
    }
}
