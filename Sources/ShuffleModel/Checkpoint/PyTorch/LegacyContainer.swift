import Foundation

/// The single-file form of `torch.save` before PyTorch 1.6 (and with
/// `_use_new_zipfile_serialization=False`): five pickles one after another, then the storages.
///
/// 1. the magic number 0x1950a86a20f9469cfc6c, 2. the protocol version 1001, 3. system info
/// (`little_endian` must be true), 4. the object, its storages as persistent ids, 5. the list of
/// storage keys; then, for each key in that order, an int64 element count and that many elements
/// of the storage's type, little-endian.
enum LegacyContainer {
    /// The magic number's LONG1 bytes (little-endian two's complement).
    static let magic: [UInt8] = [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]
    static let protocolVersion: Int64 = 1001

    static func parse(_ bytes: Data, path: String) throws(WeightsError) -> PyTorchCheckpoint.Parsed {
        let outcome: Result<PyTorchCheckpoint.Parsed, WeightsError> = bytes.withUnsafeBytes { raw in
            do throws(WeightsError) { return .success(try parse(raw, path: path)) } catch { return .failure(error) }
        }
        return try outcome.get()
    }

    private static func parse(_ raw: UnsafeRawBufferPointer, path: String) throws(WeightsError)
        -> PyTorchCheckpoint.Parsed
    {
        let magicNumber = try PickleReading.load(raw, from: 0, path: path)
        guard case .bigInt(let value) = magicNumber.value, value == magic else {
            throw .malformedArchive(file: path, reason: "it does not start with PyTorch's magic number")
        }
        let version = try PickleReading.load(raw, from: magicNumber.end, path: path)
        guard case .int(protocolVersion) = version.value else {
            throw .malformedArchive(file: path, reason: "its protocol version is not \(protocolVersion)")
        }
        let system = try PickleReading.load(raw, from: version.end, path: path)
        if let info = system.arena.stringDictionary(system.value),
            let little = info.first(where: { $0.key == "little_endian" }), case .bool(false) = little.value
        {
            throw .malformedArchive(file: path, reason: "it was saved on a big-endian machine")
        }
        let object = try PickleReading.load(raw, from: system.end, path: path)
        let tensors = try PickleReading.stateDict(object, path: path)
        let keyList = try PickleReading.load(raw, from: object.end, path: path)
        guard let keyValues = keyList.arena.sequence(keyList.value) else {
            throw .malformedArchive(file: path, reason: "the storage key list is a \(keyList.value.kind(in: keyList.arena))")
        }
        // Walk the data section: each storage is an int64 count and count × element size bytes.
        var ranges: [String: Range<Int>] = [:]
        var cursor = ByteCursor(raw, offset: keyList.end)
        for value in keyValues {
            guard case .string(let key) = value else {
                throw .malformedArchive(file: path, reason: "the storage key list holds a \(value.kind(in: keyList.arena))")
            }
            guard let storage = object.storages[key] else {
                throw .malformedArchive(file: path, reason: "the storage key list names '\(key)', which no tensor uses")
            }
            let header = cursor.offset
            guard let count = try? cursor.uint64() else {
                throw .malformedArchive(file: path, reason: "the file ends before storage '\(key)' (byte \(header))")
            }
            guard count == UInt64(storage.elementCount) else {
                throw .malformedArchive(
                    file: path,
                    reason: "storage '\(key)' at byte \(header) holds \(count) elements, its tensors declare \(storage.elementCount)")
            }
            let start = cursor.offset
            guard (try? cursor.skip(storage.byteCount)) != nil else {
                throw .malformedArchive(
                    file: path,
                    reason: "the file ends inside storage '\(key)' (\(storage.byteCount) bytes from byte \(start); it has \(raw.count))")
            }
            ranges[key] = start..<cursor.offset
        }
        var storages: [String: PyTorchCheckpoint.StorageLocation] = [:]
        for (key, tensor) in tensors {
            guard let range = ranges[tensor.storage.key] else {
                throw .malformedTensor(file: path, key: key, reason: "uses storage '\(tensor.storage.key)', which the file does not hold")
            }
            storages[tensor.storage.key] = .range(range)
        }
        return PyTorchCheckpoint.Parsed(format: .legacy, tensors: tensors, storages: storages)
    }
}
