/// Names and shapes of the authors' ShuffleNet v1 state dict (PyTorch `nn.Sequential` indices).
///
/// ```
/// first_conv.0.weight                      [c0, 3, 3, 3]          conv 3×3/2
/// first_conv.1.{weight,bias,running_mean,running_var}   [c0]    BN
/// features.N.branch_main_1.0.weight        [mid, in/g', 1, 1]     pw1 (g' = 1 for features.0)
/// features.N.branch_main_1.1.*             [mid]                  BN (then ReLU)
/// features.N.branch_main_1.3.weight        [mid, 1, 3, 3]         depthwise
/// features.N.branch_main_1.4.*             [mid]                  BN (then the shuffle)
/// features.N.branch_main_2.0.weight        [out', mid/g, 1, 1]    pw2
/// features.N.branch_main_2.1.*             [out']                 BN
/// classifier.0.weight                      [classes, c4]          linear, no bias
/// ```
/// Every BN also has an integer `num_batches_tracked`, which inference does not use.
public enum CheckpointLayout {
    /// The four batch-norm arrays inference needs, in PyTorch's order.
    public static let batchNormFields = NetworkSpec.batchNormFields
    /// Suffix of the batch-norm counter that loading skips.
    public static let ignoredSuffix = CheckpointTensors.ignoredSuffix
    /// Prefix `nn.DataParallel` adds to every key.
    public static let dataParallelPrefix = CheckpointTensors.dataParallelPrefix
    /// The classifier's module.
    public static let classifier = "classifier.0"
    public static let classifierKey = classifier + ".weight"

    /// A convolution and the batch norm that follows it, by module path.
    public struct ConvolutionKeys: Sendable, Equatable {
        /// `features.3.branch_main_1.0`
        public var convolution: String
        /// `features.3.branch_main_1.1`
        public var batchNorm: String

        public var weight: String { convolution + ".weight" }
        public func batchNorm(_ field: String) -> String { batchNorm + "." + field }
    }

    public static let stem = ConvolutionKeys(convolution: "first_conv.0", batchNorm: "first_conv.1")

    /// pw1, dw and pw2 of unit `features.N`.
    public static func unit(_ feature: Int) -> (
        pointwise1: ConvolutionKeys, depthwise: ConvolutionKeys, pointwise2: ConvolutionKeys
    ) {
        let prefix = "features.\(feature)"
        return (
            ConvolutionKeys(convolution: prefix + ".branch_main_1.0", batchNorm: prefix + ".branch_main_1.1"),
            ConvolutionKeys(convolution: prefix + ".branch_main_1.3", batchNorm: prefix + ".branch_main_1.4"),
            ConvolutionKeys(convolution: prefix + ".branch_main_2.0", batchNorm: prefix + ".branch_main_2.1")
        )
    }

    /// Number of units, `features.0` … `features.15`.
    public static let unitCount = ShuffleNetConfiguration.stageRepeats.reduce(0, +)

    /// Every key inference needs, in network order. The same for every configuration.
    public static let keys: [String] = ((try? ShuffleNetConfiguration())?.spec.keys) ?? []

    /// The shape every key must have for a configuration, in network order.
    public static func expectedShapes(for configuration: ShuffleNetConfiguration) -> [(key: String, shape: [Int])] {
        configuration.spec.expectedShapes
    }
}
