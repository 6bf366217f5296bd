/// A read position in a byte buffer whose every read is bounds-checked.
///
/// Readers of untrusted files go through this so that no offset or length taken from the file
/// can reach past the buffer: a read that would fails with `Failure.pastEnd` instead.
struct ByteCursor {
    enum Failure: Error, Equatable {
        /// `wanted` bytes were needed at `offset`, but the buffer ends at `end`.
        case pastEnd(offset: Int, wanted: Int, end: Int)
    }

    let bytes: UnsafeRawBufferPointer
    /// The next byte to read, relative to `bytes`.
    private(set) var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var remaining: Int { max(0, bytes.count - offset) }
    var isAtEnd: Bool { offset >= bytes.count }

    /// Fails unless `count` more bytes exist.
    func require(_ count: Int) throws(Failure) {
        guard count >= 0, offset >= 0, count <= bytes.count - offset else {
            throw .pastEnd(offset: offset, wanted: count, end: bytes.count)
        }
    }

    mutating func skip(_ count: Int) throws(Failure) {
        try require(count)
        offset += count
    }

    mutating func byte() throws(Failure) -> UInt8 {
        try require(1)
        defer { offset += 1 }
        return bytes[offset]
    }

    /// A little-endian unsigned integer of `byteCount` ≤ 8 bytes.
    mutating func unsigned(_ byteCount: Int) throws(Failure) -> UInt64 {
        try require(byteCount)
        var value: UInt64 = 0
        for index in 0..<byteCount { value |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        offset += byteCount
        return value
    }

    mutating func uint16() throws(Failure) -> UInt16 { UInt16(truncatingIfNeeded: try unsigned(2)) }
    mutating func uint32() throws(Failure) -> UInt32 { UInt32(truncatingIfNeeded: try unsigned(4)) }
    mutating func uint64() throws(Failure) -> UInt64 { try unsigned(8) }

    /// `count` bytes, copied.
    mutating func array(_ count: Int) throws(Failure) -> [UInt8] {
        try require(count)
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    /// The bytes up to (not including) the next `terminator`, which is consumed.
    mutating func line(terminator: UInt8 = 0x0A, limit: Int) throws(Failure) -> [UInt8] {
        var end = offset
        while end < bytes.count, bytes[end] != terminator {
            end += 1
            if end - offset > limit { throw .pastEnd(offset: offset, wanted: limit + 1, end: bytes.count) }
        }
        guard end < bytes.count else { throw .pastEnd(offset: offset, wanted: end - offset + 1, end: bytes.count) }
        defer { offset = end + 1 }
        return Array(bytes[offset..<end])
    }
}
