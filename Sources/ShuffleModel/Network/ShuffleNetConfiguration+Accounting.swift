extension ShuffleNetConfiguration {
    /// Multiply-adds of every convolution for one image: `out · (in / groups) · k² · H_out · W_out`
    /// summed over conv1 and the three convolutions of every unit. This is the paper's "FLOPs"
    /// (Table 1 counts convolutions only; FC, BN, ReLU, pooling, shuffle and add are excluded).
    public var convolutionMultiplyAdds: Int {
        let stem = widths[0] * 3 * 9 * stemSize.area
        return units.reduce(stem) { total, unit in
            let mid = unit.bottleneckChannels
            let pointwise1 = mid * (unit.inputChannels / unit.pointwise1Groups) * unit.inputSize.area
            let depthwise = mid * 9 * unit.outputSize.area
            let pointwise2 = unit.branchOutputChannels * (mid / unit.groups) * unit.outputSize.area
            return total + pointwise1 + depthwise + pointwise2
        }
    }

    /// Multiply-adds of the classifier for one image.
    public var classifierMultiplyAdds: Int { widths[3] * classes }

    /// PyTorch's parameter count: conv weights, batch-norm γ and β, and the classifier's weight
    /// (it has no bias). Running statistics are buffers, not parameters.
    public var parameterCount: Int {
        let stem = widths[0] * 3 * 9 + 2 * widths[0]
        let body = units.reduce(0) { total, unit in
            let mid = unit.bottleneckChannels
            let pointwise1 = mid * (unit.inputChannels / unit.pointwise1Groups) + 2 * mid
            let depthwise = mid * 9 + 2 * mid
            let pointwise2 = unit.branchOutputChannels * (mid / unit.groups) + 2 * unit.branchOutputChannels
            return total + pointwise1 + depthwise + pointwise2
        }
        return stem + body + widths[3] * classes
    }
}
