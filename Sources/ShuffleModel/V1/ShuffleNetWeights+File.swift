import Foundation

extension ShuffleNetWeights {
    /// Reads a weights file (any format `TensorArchives` opens) in the authors' layout, with or
    /// without the `module.` prefix; `num_batches_tracked` counters are skipped. Keys and shapes
    /// are checked before any tensor is decoded, so a wrong file fails fast.
    public static func load(contentsOf url: URL) throws(WeightsError) -> ShuffleNetWeights {
        try ShuffleNetWeights(checkpoint: CheckpointTensors.open(url))
    }

    /// Writes the weights in the authors' layout, in network order.
    public func write(to url: URL, format: SafeTensorsWriter.FloatFormat = .f32, metadata extra: [String: String] = [:])
        throws(WeightsError)
    {
        try checkpoint.write(to: url, keys: CheckpointLayout.keys, format: format, metadata: extra)
    }
}
