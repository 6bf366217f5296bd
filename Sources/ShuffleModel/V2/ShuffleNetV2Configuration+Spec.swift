/// Module paths of one v2 unit's convolutions in a checkpoint, by layout.
///
/// ```
/// torchvision (stageN.k)                         authors (features.N)
/// branch1.0 dw s2, .1 BN                         branch_proj.0 dw s2, .1 BN       (stride 2 only)
/// branch1.2 1×1, .3 BN, ReLU                     branch_proj.2 1×1, .3 BN, ReLU   (stride 2 only)
/// branch2.0 1×1, .1 BN, ReLU                     branch_main.0 1×1, .1 BN, ReLU
/// branch2.3 dw, .4 BN                            branch_main.3 dw, .4 BN
/// branch2.5 1×1, .6 BN, ReLU                     branch_main.5 1×1, .6 BN, ReLU
/// ```
struct ShuffleNetV2UnitKeys {
    /// `stage3.0` or `features.4`: the module whose output is the unit's output.
    var module: String
    /// Depthwise and 1×1 convolutions of the stride-2 projection branch.
    var projectionDepthwise: String
    var projectionPointwise: String
    /// The main branch's 1×1, depthwise and 1×1 convolutions.
    var pointwise1: String
    var depthwise: String
    var pointwise2: String

    init(_ unit: ShuffleNetV2Unit, layout: ShuffleNetV2Layout) {
        switch layout {
        case .torchvision:
            module = "stage\(unit.stage).\(unit.index - 1)"
            projectionDepthwise = module + ".branch1.0"
            projectionPointwise = module + ".branch1.2"
            pointwise1 = module + ".branch2.0"
            depthwise = module + ".branch2.3"
            pointwise2 = module + ".branch2.5"
        case .authors:
            module = "features.\(unit.feature)"
            projectionDepthwise = module + ".branch_proj.0"
            projectionPointwise = module + ".branch_proj.2"
            pointwise1 = module + ".branch_main.0"
            depthwise = module + ".branch_main.3"
            pointwise2 = module + ".branch_main.5"
        }
    }
}

extension ShuffleNetV2Configuration {
    /// conv1, conv5 and the classifier's modules in this layout.
    var stemModule: String { layout == .torchvision ? "conv1" : "first_conv" }
    var lastConvolutionModule: String { layout == .torchvision ? "conv5" : "conv_last" }
    var classifierModule: String { layout == .torchvision ? "fc" : "classifier.0" }

    /// Channels of a unit's main-branch output: half the output (torchvision, and every authors'
    /// stride-1 unit), or `out − in` for the authors' stride-2 units (`24 + 92` at 1.0×).
    func mainOutput(_ unit: ShuffleNetV2Unit) -> Int {
        layout == .authors && unit.stride == 2 ? unit.outputChannels - unit.inputChannels : unit.half
    }

    /// Channels of a unit's projection-branch output at stride 2: half the output (torchvision)
    /// or the whole input (authors).
    func projectionOutput(_ unit: ShuffleNetV2Unit) -> Int {
        layout == .authors ? unit.inputChannels : unit.half
    }

    /// Every convolution with its batch norm, in network order, and the classifier.
    ///
    /// Each unit, in both layouts: a stride-2 unit has the projection branch (depthwise s2, 1×1,
    /// ReLU) beside the main branch; the main branch reads the whole input at stride 2 and half
    /// of it at stride 1; both branches of v2 end with a ReLU. Seeding: gain 2 everywhere (every
    /// convolution's input or output is rectified); the stem's weights are divided by 255 for the
    /// authors' 0–255 inputs (torchvision's inputs are already normalised).
    public var spec: NetworkSpec {
        let rectified = ConvolutionSpec.Seeding(gain: 2)
        func conv(
            _ module: String, _ input: Int, _ output: Int, kernel: Int, stride: Int = 1, groups: Int = 1, relu: Bool,
            size: PlaneSize, seeding: ConvolutionSpec.Seeding = rectified
        ) -> ConvolutionSpec {
            ConvolutionSpec(
                module: module, batchNorm: Self.batchNorm(of: module), inputChannels: input, outputChannels: output,
                kernelSize: kernel, stride: stride, groups: groups, relu: relu, outputSize: size, seeding: seeding)
        }
        let stemScale = layout == .authors ? 255.0 : 1.0
        var convolutions = [
            conv(
                stemModule + ".0", 3, widths[0], kernel: 3, stride: 2, relu: true, size: stemSize,
                seeding: .init(gain: 2, inputScale: stemScale))
        ]
        for unit in units {
            let keys = ShuffleNetV2UnitKeys(unit, layout: layout)
            let main = mainOutput(unit)
            let branchInput = unit.stride == 2 ? unit.inputChannels : unit.half
            let mid = unit.half
            if unit.stride == 2 {
                let input = unit.inputChannels
                convolutions += [
                    conv(
                        keys.projectionDepthwise, input, input, kernel: 3, stride: 2, groups: input, relu: false,
                        size: unit.outputSize),
                    conv(keys.projectionPointwise, input, projectionOutput(unit), kernel: 1, relu: true, size: unit.outputSize),
                ]
            }
            convolutions += [
                conv(keys.pointwise1, branchInput, mid, kernel: 1, relu: true, size: unit.inputSize),
                conv(keys.depthwise, mid, mid, kernel: 3, stride: unit.stride, groups: mid, relu: false, size: unit.outputSize),
                conv(keys.pointwise2, mid, main, kernel: 1, relu: true, size: unit.outputSize),
            ]
        }
        convolutions.append(
            conv(lastConvolutionModule + ".0", widths[3], widths[4], kernel: 1, relu: true, size: finalSize))
        return NetworkSpec(
            convolutions: convolutions,
            classifier: ClassifierSpec(
                module: classifierModule, inputFeatures: widths[4], classes: classes, hasBias: layout == .torchvision))
    }

    /// The batch norm after a convolution is the next module of its `nn.Sequential`.
    static func batchNorm(of module: String) -> String {
        guard let dot = module.lastIndex(of: "."), let index = Int(module[module.index(after: dot)...]) else {
            return module + ".bn"
        }
        return module[..<dot] + ".\(index + 1)"
    }
}
