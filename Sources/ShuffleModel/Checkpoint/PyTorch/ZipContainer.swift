import Foundation

/// The zip form of `torch.save` (PyTorch ≥ 1.6): `<root>/data.pkl` holds the object, each storage
/// is the entry `<root>/data/<key>`, `<root>/byteorder` (when present) says `little`. The root
/// folder's name is whatever the writer chose (the file's stem, or `archive`).
enum ZipContainer {
    static let signature: [UInt8] = [0x50, 0x4B, 0x03, 0x04]  // "PK\3\4"

    static func parse(_ bytes: Data, path: String) throws(WeightsError) -> PyTorchCheckpoint.Parsed {
        let outcome: Result<PyTorchCheckpoint.Parsed, WeightsError> = bytes.withUnsafeBytes { raw in
            do throws(WeightsError) {
                return .success(try parse(raw, path: path))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    private static func parse(_ raw: UnsafeRawBufferPointer, path: String) throws(WeightsError)
        -> PyTorchCheckpoint.Parsed
    {
        let archive: ZipArchive
        do { archive = try ZipArchive(raw) } catch { throw .malformedArchive(file: path, reason: error.reason) }
        let pickles = archive.entries.filter {
            $0.name.hasSuffix("/data.pkl") && $0.name.dropLast("/data.pkl".count).contains("/") == false
        }
        guard pickles.count == 1, let pickleEntry = pickles.first else {
            throw .malformedArchive(
                file: path,
                reason: pickles.isEmpty
                    ? "the zip archive has no <folder>/data.pkl, so it was not written by torch.save"
                    : "the zip archive has \(pickles.count) data.pkl entries")
        }
        let root = String(pickleEntry.name.dropLast("data.pkl".count))
        if let order = archive.entry(named: root + "byteorder") {
            let text = try contents(order, raw, path: path)
            guard text == Array("little".utf8) else {
                throw .malformedArchive(
                    file: path, reason: "its byteorder is '\(String(decoding: text.prefix(16), as: UTF8.self))', not little")
            }
        }
        let pickle = try contents(pickleEntry, raw, path: path)
        let loaded = try PickleReading.load(pickle, path: path)
        let tensors = try PickleReading.stateDict(loaded, path: path)
        var storages: [String: PyTorchCheckpoint.StorageLocation] = [:]
        for (key, tensor) in tensors where storages[tensor.storage.key] == nil {
            let name = root + "data/" + tensor.storage.key
            guard let entry = archive.entry(named: name) else {
                throw .malformedTensor(file: path, key: key, reason: "has no storage entry '\(name)' in the archive")
            }
            guard entry.uncompressedSize >= tensor.storage.byteCount else {
                throw .malformedTensor(
                    file: path, key: key,
                    reason: "lies in storage '\(name)', which declares \(tensor.storage.byteCount) bytes but holds "
                        + "\(entry.uncompressedSize)")
            }
            storages[tensor.storage.key] = .entry(entry)
        }
        return PyTorchCheckpoint.Parsed(format: .zip, tensors: tensors, storages: storages)
    }

    /// A small entry's bytes (the pickle, the byte order), copied.
    private static func contents(_ entry: ZipArchive.Entry, _ raw: UnsafeRawBufferPointer, path: String)
        throws(WeightsError) -> [UInt8]
    {
        do {
            return try ZipArchive.withContents(of: entry, in: raw) { Array($0) }
        } catch {
            throw .malformedArchive(file: path, reason: error.reason)
        }
    }
}

/// The steps both containers share: unpickling with errors named for the file, and locating the state dict.
enum PickleReading {
    static func load(_ bytes: UnsafeRawBufferPointer, from start: Int = 0, path: String) throws(WeightsError)
        -> Unpickler.Result
    {
        do {
            return try Unpickler.load(bytes, from: start)
        } catch {
            switch error.kind {
            case .forbiddenGlobal(let name): throw .forbiddenGlobal(file: path, name: name)
            case .malformed(let reason): throw .malformedPickle(file: path, offset: error.offset, reason: reason)
            }
        }
    }

    static func load(_ bytes: [UInt8], path: String) throws(WeightsError) -> Unpickler.Result {
        let outcome: Result<Unpickler.Result, WeightsError> = bytes.withUnsafeBytes { raw in
            do throws(WeightsError) { return .success(try load(raw, path: path)) } catch { return .failure(error) }
        }
        return try outcome.get()
    }

    static func stateDict(_ loaded: Unpickler.Result, path: String) throws(WeightsError) -> [(String, TensorReference)] {
        do {
            return try StateDictLocator.locate(loaded.value, in: loaded.arena)
        } catch {
            throw .noStateDict(file: path, reason: error.reason)
        }
    }
}
