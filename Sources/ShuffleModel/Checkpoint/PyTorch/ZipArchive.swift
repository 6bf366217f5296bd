/// The entries of a zip archive, read from its central directory (PKWARE APPNOTE 4.3 and 4.4),
/// with ZIP64 sizes and offsets.
///
/// Only what reading a `torch.save` archive needs: entry names, where each entry's data starts,
/// its sizes, method (stored or deflated) and CRC-32. Every offset and size is checked against the
/// buffer before use, so a lying directory fails here instead of reading out of bounds.
struct ZipArchive {
    struct Failure: Error, Equatable {
        var reason: String
    }

    struct Entry: Equatable {
        var name: String
        /// 0 stored, 8 deflated.
        var method: UInt16
        var flags: UInt16
        var crc: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        /// Where the entry's (possibly compressed) bytes start in the archive.
        var dataOffset: Int
    }

    /// Entries in central-directory order.
    let entries: [Entry]
    private let indexByName: [String: Int]

    func entry(named name: String) -> Entry? { indexByName[name].map { entries[$0] } }

    private static let endOfDirectory: UInt32 = 0x0605_4B50
    private static let zip64Locator: UInt32 = 0x0706_4B50
    private static let zip64EndOfDirectory: UInt32 = 0x0606_4B50
    private static let centralHeader: UInt32 = 0x0201_4B50
    private static let localHeader: UInt32 = 0x0403_4B50
    /// The smallest central-directory record (46 bytes without name, extra and comment).
    private static let centralHeaderBytes = 46

    init(_ bytes: UnsafeRawBufferPointer) throws(Failure) {
        do {
            let (count, directoryOffset, directorySize) = try Self.directoryBounds(bytes)
            guard directoryOffset <= bytes.count, directorySize <= bytes.count - directoryOffset else {
                throw Failure(
                    reason: "its central directory (\(directorySize) bytes at \(directoryOffset)) lies outside the "
                        + "\(bytes.count)-byte file")
            }
            guard count <= directorySize / Self.centralHeaderBytes else {
                throw Failure(reason: "it claims \(count) entries in a \(directorySize)-byte central directory")
            }
            var cursor = ByteCursor(bytes, offset: directoryOffset)
            var entries: [Entry] = []
            var indexByName: [String: Int] = [:]
            for _ in 0..<count {
                let entry = try Self.centralEntry(&cursor, archive: bytes)
                guard indexByName[entry.name] == nil else { throw Failure(reason: "entry '\(entry.name)' appears twice") }
                indexByName[entry.name] = entries.count
                entries.append(entry)
            }
            self.entries = entries
            self.indexByName = indexByName
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(reason: "its central directory runs past the end of the file")
        }
    }

    /// Entry count, central directory offset and size, from the end record (or its ZIP64 form).
    private static func directoryBounds(_ bytes: UnsafeRawBufferPointer) throws -> (Int, Int, Int) {
        let missing = Failure(reason: "it has no end-of-directory record, so it is cut short or not a zip archive")
        guard bytes.count >= 22 else { throw missing }
        var position = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        while position >= lowest {
            var probe = ByteCursor(bytes, offset: position)
            if try probe.uint32() == endOfDirectory { break }
            position -= 1
        }
        guard position >= lowest else { throw missing }
        var cursor = ByteCursor(bytes, offset: position + 10)
        var count = UInt64(try cursor.uint16())
        var size = UInt64(try cursor.uint32())
        var offset = UInt64(try cursor.uint32())
        if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF, position >= 20 {
            var locator = ByteCursor(bytes, offset: position - 20)
            if try locator.uint32() == zip64Locator {
                try locator.skip(4)
                let recordOffset = try locator.uint64()
                guard recordOffset <= UInt64(bytes.count) else {
                    throw Failure(reason: "its ZIP64 end record is said to be at byte \(recordOffset), past the end of the file")
                }
                var record = ByteCursor(bytes, offset: Int(recordOffset))
                if try record.uint32() == zip64EndOfDirectory {
                    try record.skip(28)
                    count = try record.uint64()
                    size = try record.uint64()
                    offset = try record.uint64()
                }
            }
        }
        let limit = UInt64(bytes.count)
        return (Int(min(count, limit)), Int(min(offset, limit + 1)), Int(min(size, limit + 1)))
    }

    /// One central-directory record, its local header checked and its data range located.
    private static func centralEntry(_ cursor: inout ByteCursor, archive bytes: UnsafeRawBufferPointer) throws(Failure)
        -> Entry
    {
        do {
            guard try cursor.uint32() == centralHeader else {
                throw Failure(reason: "a central directory record at byte \(cursor.offset - 4) has the wrong signature")
            }
            try cursor.skip(4)
            let flags = try cursor.uint16()
            let method = try cursor.uint16()
            try cursor.skip(4)
            let crc = try cursor.uint32()
            var compressed = UInt64(try cursor.uint32())
            var uncompressed = UInt64(try cursor.uint32())
            let nameLength = Int(try cursor.uint16())
            let extraLength = Int(try cursor.uint16())
            let commentLength = Int(try cursor.uint16())
            try cursor.skip(8)
            var localOffset = UInt64(try cursor.uint32())
            let name = String(decoding: try cursor.array(nameLength), as: UTF8.self)
            var extra = ByteCursor(bytes, offset: cursor.offset)
            try cursor.skip(extraLength + commentLength)
            // ZIP64 extended information: the 8-byte forms of the fields that hold 0xFFFFFFFF.
            while extra.offset + 4 <= cursor.offset - commentLength {
                let id = try extra.uint16()
                let length = Int(try extra.uint16())
                let end = extra.offset + length
                if id == 0x0001 {
                    if uncompressed == 0xFFFF_FFFF, extra.offset + 8 <= end { uncompressed = try extra.uint64() }
                    if compressed == 0xFFFF_FFFF, extra.offset + 8 <= end { compressed = try extra.uint64() }
                    if localOffset == 0xFFFF_FFFF, extra.offset + 8 <= end { localOffset = try extra.uint64() }
                }
                try extra.skip(end - extra.offset)
            }
            let limit = UInt64(bytes.count)
            guard localOffset < limit, compressed <= limit else {
                throw Failure(reason: "entry '\(name)' claims \(compressed) bytes at \(localOffset), outside the file")
            }
            var local = ByteCursor(bytes, offset: Int(localOffset))
            guard try local.uint32() == localHeader else {
                throw Failure(reason: "entry '\(name)' has no local header at byte \(localOffset)")
            }
            try local.skip(22)
            let localName = Int(try local.uint16())
            let localExtra = Int(try local.uint16())
            try local.skip(localName + localExtra)
            let dataOffset = local.offset
            guard Int(compressed) <= bytes.count - dataOffset else {
                throw Failure(reason: "entry '\(name)' claims \(compressed) bytes at \(dataOffset), past the end of the file")
            }
            return Entry(
                name: name, method: method, flags: flags, crc: crc, compressedSize: Int(compressed),
                uncompressedSize: Int(min(uncompressed, UInt64(Int.max))), dataOffset: dataOffset)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(reason: "a directory record runs past the end of the file")
        }
    }

    /// The deflate format cannot expand data by more than about 1032 : 1, so a larger declared
    /// size is a lie, refused before anything is allocated.
    static let maximumInflationRatio = 1032

    /// Calls `body` with the entry's uncompressed bytes, after checking its method and CRC-32.
    static func withContents<Result>(
        of entry: Entry, in bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Result
    ) throws(Failure) -> Result {
        guard entry.flags & 1 == 0 else { throw Failure(reason: "entry '\(entry.name)' is encrypted") }
        let stored = UnsafeRawBufferPointer(rebasing: bytes[entry.dataOffset..<(entry.dataOffset + entry.compressedSize)])
        switch entry.method {
        case 0:
            guard entry.uncompressedSize == entry.compressedSize else {
                throw Failure(
                    reason: "stored entry '\(entry.name)' declares \(entry.uncompressedSize) bytes but holds \(entry.compressedSize)")
            }
            try check(entry, CRC32.checksum(stored))
            return body(stored)
        case 8:
            guard entry.uncompressedSize / Self.maximumInflationRatio <= entry.compressedSize else {
                throw Failure(
                    reason: "entry '\(entry.name)' declares \(entry.uncompressedSize) bytes from \(entry.compressedSize) "
                        + "compressed ones, more than deflate can expand to")
            }
            let inflated: [UInt8]
            do {
                inflated = try Inflate.decompress(stored, expectedCount: entry.uncompressedSize)
            } catch {
                throw Failure(reason: "entry '\(entry.name)' does not inflate: \(error.reason)")
            }
            try check(entry, CRC32.checksum(inflated))
            return inflated.withUnsafeBytes(body)
        default:
            throw Failure(reason: "entry '\(entry.name)' uses compression method \(entry.method); only stored and deflated are read")
        }
    }

    private static func check(_ entry: Entry, _ crc: UInt32) throws(Failure) {
        guard crc == entry.crc else {
            throw Failure(
                reason: "entry '\(entry.name)' is damaged: its CRC-32 is \(String(crc, radix: 16)), "
                    + "the directory says \(String(entry.crc, radix: 16))")
        }
    }
}
