import Foundation

@testable import ShuffleModel

/// Pickles and PyTorch containers written byte by byte, independent of the reader under test,
/// so tests can build hostile and broken files.
enum PickleBytes {
    static func unicode(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        return [0x58] + le(UInt64(bytes.count), 4) + bytes
    }

    static func global(_ module: String, _ name: String) -> [UInt8] {
        [0x63] + Array("\(module)\n\(name)\n".utf8)
    }

    static func int(_ value: Int) -> [UInt8] { [0x4A] + le(UInt64(UInt32(truncatingIfNeeded: value)), 4) }

    static func tuple(_ items: [UInt8]...) -> [UInt8] { [0x28] + items.flatMap { $0 } + [0x74] }

    static let emptyOrderedDict: [UInt8] = global("collections", "OrderedDict") + [0x29, 0x52]

    /// `('storage', torch.<type>, key, 'cpu', count)` as a persistent id.
    static func storage(key: String, type: String = "FloatStorage", count: Int) -> [UInt8] {
        tuple(unicode("storage"), global("torch", type), unicode(key), unicode("cpu"), int(count)) + [0x51]
    }

    /// `_rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())`.
    static func tensor(key: String, storageCount: Int, offset: Int = 0, size: [Int], stride: [Int]) -> [UInt8] {
        global("torch._utils", "_rebuild_tensor_v2")
            + tuple(
                storage(key: key, count: storageCount), int(offset), tuple(size.flatMap(int)), tuple(stride.flatMap(int)),
                [0x89], emptyOrderedDict) + [0x52]
    }

    /// `OrderedDict` of `entries` (key, value bytes), protocol 2.
    static func stateDict(_ entries: [(String, [UInt8])]) -> [UInt8] {
        [0x80, 0x02] + emptyOrderedDict + [0x28] + entries.flatMap { unicode($0.0) + $0.1 } + [0x75, 0x2E]
    }

    /// `{"w": float tensor [2, 2]}` on storage "0" of 4 elements.
    static let validStateDict = stateDict([("w", tensor(key: "0", storageCount: 4, size: [2, 2], stride: [2, 1]))])

    /// `os.system(command)`.
    static func system(_ command: String, module: String = "os") -> [UInt8] {
        [0x80, 0x02] + global(module, "system") + unicode(command) + [0x85, 0x52, 0x2E]
    }

    static func le(_ value: UInt64, _ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) } }
}

enum ContainerBytes {
    /// The legacy format: magic, protocol 1001, system info, `object`, key list, storages.
    static func legacy(object: [UInt8], storages: [(key: String, count: Int, bytes: [UInt8])] = []) -> Data {
        var data: [UInt8] = [0x80, 0x02, 0x8A, 0x0A] + LegacyContainer.magic + [0x2E]
        data += [0x80, 0x02, 0x4D, 0xE9, 0x03, 0x2E]
        data += [0x80, 0x02, 0x7D] + PickleBytes.unicode("little_endian") + [0x88, 0x73, 0x2E]
        data += object
        data += [0x80, 0x02, 0x5D, 0x28] + storages.flatMap { PickleBytes.unicode($0.key) } + [0x65, 0x2E]
        for storage in storages { data += PickleBytes.le(UInt64(storage.count), 8) + storage.bytes }
        return Data(data)
    }

    /// A zip archive of stored entries (what `torch.save` writes), sizes and CRCs correct.
    static func zip(_ entries: [(name: String, bytes: [UInt8])]) -> Data {
        var data: [UInt8] = []
        var directory: [UInt8] = []
        for entry in entries {
            let name = Array(entry.name.utf8)
            let crc = CRC32.checksum(entry.bytes)
            let offset = data.count
            let sizes = PickleBytes.le(UInt64(crc), 4) + PickleBytes.le(UInt64(entry.bytes.count), 4)
                + PickleBytes.le(UInt64(entry.bytes.count), 4)
            data += [0x50, 0x4B, 0x03, 0x04, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0] + sizes
            data += PickleBytes.le(UInt64(name.count), 2) + [0, 0] + name + entry.bytes
            directory += [0x50, 0x4B, 0x01, 0x02, 20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0] + sizes
            directory += PickleBytes.le(UInt64(name.count), 2) + [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
            directory += PickleBytes.le(UInt64(offset), 4) + name
        }
        let directoryOffset = data.count
        data += directory
        data += [0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0] + PickleBytes.le(UInt64(entries.count), 2)
            + PickleBytes.le(UInt64(entries.count), 2) + PickleBytes.le(UInt64(directory.count), 4)
            + PickleBytes.le(UInt64(directoryOffset), 4) + [0, 0]
        return Data(data)
    }

    /// A torch.save-style zip around `pickle` with the given storages.
    static func torchZip(pickle: [UInt8], storages: [(key: String, bytes: [UInt8])] = [], root: String = "archive")
        -> Data
    {
        zip([("\(root)/data.pkl", pickle), ("\(root)/byteorder", Array("little".utf8))]
            + storages.map { ("\(root)/data/\($0.key)", $0.bytes) } + [("\(root)/version", Array("3\n".utf8))])
    }

    /// Little-endian float32 bytes.
    static func floats(_ values: [Float]) -> [UInt8] { values.flatMap { PickleBytes.le(UInt64($0.bitPattern), 4) } }
}
