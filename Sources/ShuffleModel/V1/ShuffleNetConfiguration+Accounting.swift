extension ShuffleNetConfiguration {
    /// Multiply-adds of every convolution for one image: `out · (in / groups) · k² · H_out · W_out`
    /// summed over conv1 and the three convolutions of every unit. This is the paper's "FLOPs"
    /// (Table 1 counts convolutions only; FC, BN, ReLU, pooling, shuffle and add are excluded).
    public var convolutionMultiplyAdds: Int { spec.convolutionMultiplyAdds }

    /// Multiply-adds of the classifier for one image.
    public var classifierMultiplyAdds: Int { spec.classifier.multiplyAdds }

    /// PyTorch's parameter count: conv weights, batch-norm γ and β, and the classifier's weight
    /// (it has no bias). Running statistics are buffers, not parameters.
    public var parameterCount: Int { spec.parameterCount }
}
