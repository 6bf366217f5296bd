/// Folds an inference-mode batch norm into the convolution before it.
///
/// BN computes `γ · (y − mean) / √(var + ε) + β` per output channel. With `s = γ / √(var + ε)`
/// that is `s·y + (β − mean·s)`, so scaling the channel's weights by `s` and adding the bias
/// `β − mean·s` gives the same output with one op fewer.
enum BatchNormFolding {
    /// PyTorch's default `BatchNorm2d` epsilon, which the authors keep.
    static let epsilon = 1e-5

    /// - Parameters:
    ///   - weight: `[outputChannels, inputChannels / groups, k, k]`, flattened.
    ///   - gamma, beta, mean, variance: `[outputChannels]` each.
    /// - Returns: the folded weight (same layout) and bias `[outputChannels]`.
    static func fold(
        weight: [Float], gamma: [Float], beta: [Float], mean: [Float], variance: [Float]
    ) -> (weight: [Float], bias: [Float]) {
        let channels = gamma.count
        let perChannel = channels > 0 ? weight.count / channels : 0
        var folded = weight
        var bias = [Float](repeating: 0, count: channels)
        for channel in 0..<channels {
            // Double keeps the fold exact to Float rounding even for tiny variances.
            let scale = Double(gamma[channel]) / (Double(variance[channel]) + epsilon).squareRoot()
            for i in (channel * perChannel)..<((channel + 1) * perChannel) {
                folded[i] = Float(Double(weight[i]) * scale)
            }
            bias[channel] = Float(Double(beta[channel]) - Double(mean[channel]) * scale)
        }
        return (folded, bias)
    }
}
