extension ShuffleNetConfiguration {
    /// Every convolution of this network and its classifier, in the authors' state-dict layout
    /// (see `CheckpointLayout`): conv1, then pw1, dw and pw2 of each unit.
    ///
    /// Seeding: He gain 2 where a ReLU precedes or follows (conv1, pw1, dw), 1 for pw2, whose
    /// input is not rectified; pw2's batch-norm γ ≈ 0.5 so each residual add grows the variance
    /// by ~1.25 instead of 2; conv1's weights divided by 255 so a 0–255 input gives unit-scale maps.
    public var spec: NetworkSpec {
        func conv(
            _ keys: CheckpointLayout.ConvolutionKeys, _ input: Int, _ output: Int, kernel: Int, stride: Int = 1,
            groups: Int = 1, relu: Bool, size: PlaneSize, seeding: ConvolutionSpec.Seeding
        ) -> ConvolutionSpec {
            ConvolutionSpec(
                module: keys.convolution, batchNorm: keys.batchNorm, inputChannels: input, outputChannels: output,
                kernelSize: kernel, stride: stride, groups: groups, relu: relu, outputSize: size, seeding: seeding)
        }
        var convolutions = [
            conv(
                CheckpointLayout.stem, 3, widths[0], kernel: 3, stride: 2, relu: true, size: stemSize,
                seeding: .init(gain: 2, inputScale: 255))
        ]
        for unit in units {
            let keys = CheckpointLayout.unit(unit.feature)
            let mid = unit.bottleneckChannels
            convolutions += [
                conv(
                    keys.pointwise1, unit.inputChannels, mid, kernel: 1, groups: unit.pointwise1Groups, relu: true,
                    size: unit.inputSize, seeding: .init(gain: 2)),
                conv(
                    keys.depthwise, mid, mid, kernel: 3, stride: unit.stride, groups: mid, relu: false,
                    size: unit.outputSize, seeding: .init(gain: 2)),
                conv(
                    keys.pointwise2, mid, unit.branchOutputChannels, kernel: 1, groups: unit.groups, relu: false,
                    size: unit.outputSize, seeding: .init(gain: 1, gamma: 0.5)),
            ]
        }
        return NetworkSpec(
            convolutions: convolutions,
            classifier: ClassifierSpec(
                module: CheckpointLayout.classifier, inputFeatures: widths[3], classes: classes, hasBias: false))
    }
}
