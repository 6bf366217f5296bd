import Foundation

extension CheckpointTensors {
    /// Writes `keys` (in that order) as a safetensors file, adding a zero `num_batches_tracked`
    /// after every batch norm so PyTorch's strict `load_state_dict` accepts the file. The file's
    /// metadata is this checkpoint's, with `extra` on top.
    public func write(
        to url: URL, keys: [String], format: SafeTensorsWriter.FloatFormat = .f32, metadata extra: [String: String] = [:]
    ) throws(WeightsError) {
        var entries: [SafeTensorsWriter.Tensor] = []
        for key in keys {
            let tensor = try self.tensor(key)
            entries.append(SafeTensorsWriter.Tensor(name: key, shape: tensor.shape, values: tensor.values, format: format))
            if key.hasSuffix(".running_var") {
                let counter = String(key.dropLast(".running_var".count)) + Self.ignoredSuffix
                entries.append(SafeTensorsWriter.Tensor(name: counter, shape: [], int64: [0]))
            }
        }
        var metadata = self.metadata.merging(extra) { _, new in new }
        metadata["format"] = "pt"
        try SafeTensorsWriter.write(entries, metadata: metadata, to: url)
    }
}
