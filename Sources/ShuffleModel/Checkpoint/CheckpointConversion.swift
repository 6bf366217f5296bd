import Foundation

/// Copies every tensor of a checkpoint into a safetensors file: keys exactly as stored, each
/// tensor in its own element type (F16 stays F16, counters stay I64), strided tensors made
/// contiguous. It works at the level of the file format, so it converts any architecture.
public enum CheckpointConversion {
    /// Metadata keys of a converted file.
    public static let sourceKey = "shufflescope.source"
    public static let sourceFormatKey = "shufflescope.source_format"

    /// Every tensor of `archive` as safetensors entries, in the file's own order where it has one.
    public static func tensors(of archive: any TensorArchive) throws(WeightsError) -> [SafeTensorsWriter.Tensor] {
        if let checkpoint = archive as? PyTorchCheckpoint {
            var result: [SafeTensorsWriter.Tensor] = []
            for key in checkpoint.keys {
                let stored = try checkpoint.storedBytes(key)
                result.append(
                    SafeTensorsWriter.Tensor(name: key, dtype: stored.dtype.rawValue, shape: stored.shape, bytes: stored.bytes))
            }
            return result
        }
        if let file = archive as? SafeTensorsFile {
            let bytes = try TensorArchives.fileBytes(URL(fileURLWithPath: file.path))
            let dataStart = 8 + bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            return file.entries.sorted { $0.value.offsets.lowerBound < $1.value.offsets.lowerBound }.map { key, entry in
                let range = (dataStart + entry.offsets.lowerBound)..<(dataStart + entry.offsets.upperBound)
                return SafeTensorsWriter.Tensor(name: key, dtype: entry.dtype.rawValue, shape: entry.shape, bytes: [UInt8](bytes[range]))
            }
        }
        // Any other archive: through Float, as F32.
        var result: [SafeTensorsWriter.Tensor] = []
        for key in archive.shapes.keys.sorted() {
            let tensor = try archive.floats(key)
            result.append(SafeTensorsWriter.Tensor(name: key, shape: tensor.shape, values: tensor.values))
        }
        return result
    }

    /// Converts the checkpoint at `input` to the safetensors file `output`, atomically. The
    /// metadata keeps the source's own, adds where the file came from, and keeps the untrained
    /// marker of seeded weights (a file without it counts as trained).
    @discardableResult
    public static func convert(_ input: URL, to output: URL) throws(WeightsError) -> (tensors: Int, metadata: [String: String]) {
        guard input.standardizedFileURL.path != output.standardizedFileURL.path else {
            throw .writeFailed(file: output.path, reason: "it is the input file")
        }
        let archive = try TensorArchives.open(input)
        let tensors = try tensors(of: archive)
        var metadata = archive.metadata
        metadata["format"] = "pt"
        metadata[sourceKey] = input.lastPathComponent
        metadata[sourceFormatKey] =
            (archive as? PyTorchCheckpoint)?.format.rawValue ?? TensorArchives.Format.safetensors.rawValue
        if metadata[ShuffleNetWeights.originMetadataKey] == nil {
            metadata[ShuffleNetWeights.originMetadataKey] = "trained (converted from \(input.lastPathComponent))"
        }
        do {
            try AtomicFile.write(SafeTensorsWriter.encode(tensors, metadata: metadata), to: output)
        } catch {
            throw .writeFailed(file: output.path, reason: "\(error.operation) failed: \(error.reason)")
        }
        return (tensors.count, metadata)
    }
}
