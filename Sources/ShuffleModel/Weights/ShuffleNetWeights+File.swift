import Foundation

extension ShuffleNetWeights {
    /// Reads a safetensors file in the authors' layout, with or without the `module.` prefix;
    /// `num_batches_tracked` counters are skipped. Keys and shapes are checked before any
    /// tensor is decoded, so a wrong file fails fast.
    public static func load(contentsOf url: URL) throws(WeightsError) -> ShuffleNetWeights {
        let file = try TensorArchives.open(url)
        let path = file.path
        var sourceKeys: [String: String] = [:]  // layout name -> key in the file
        var duplicates: [String] = []
        for key in file.shapes.keys.sorted() where !key.hasSuffix(CheckpointLayout.ignoredSuffix) {
            let name =
                key.hasPrefix(CheckpointLayout.dataParallelPrefix)
                ? String(key.dropFirst(CheckpointLayout.dataParallelPrefix.count)) : key
            if sourceKeys[name] != nil { duplicates.append(key) }
            sourceKeys[name] = key
        }
        if !duplicates.isEmpty { throw .unexpectedKeys(file: path, keys: duplicates) }
        let shapes = sourceKeys.mapValues { file.shapes[$0] ?? [] }
        let architecture = try CheckpointInference.architecture(shapes: shapes, file: path)
        var tensors: [String: ParameterTensor] = [:]
        for name in CheckpointLayout.keys {
            guard let key = sourceKeys[name] else { throw .missingKeys(file: path, keys: [name]) }
            tensors[name] = try file.floats(key)
        }
        return ShuffleNetWeights(checked: architecture, origin: path, tensors: tensors, metadata: file.metadata)
    }

    /// Writes the weights in the authors' layout, in network order, adding a zero
    /// `num_batches_tracked` per batch norm so PyTorch's strict `load_state_dict` accepts the file.
    public func write(to url: URL, format: SafeTensorsWriter.FloatFormat = .f32, metadata extra: [String: String] = [:])
        throws(WeightsError)
    {
        var entries: [SafeTensorsWriter.Tensor] = []
        for key in CheckpointLayout.keys {
            let tensor = try self.tensor(key)
            entries.append(
                SafeTensorsWriter.Tensor(name: key, shape: tensor.shape, values: tensor.values, format: format))
            if key.hasSuffix(".running_var") {
                let counter = String(key.dropLast(".running_var".count)) + CheckpointLayout.ignoredSuffix
                entries.append(SafeTensorsWriter.Tensor(name: counter, shape: [], int64: [0]))
            }
        }
        var metadata = self.metadata.merging(extra) { _, new in new }
        metadata["format"] = "pt"
        try SafeTensorsWriter.write(entries, metadata: metadata, to: url)
    }
}
