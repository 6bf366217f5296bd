/// A pickle reader restricted to what `torch.save` writes: protocols 2 to 5, the opcodes that
/// build plain values, containers, allow-listed globals (`TorchGlobal`) and storage persistent
/// ids. It is an interpreter of a data format, not of code: no opcode runs anything, any global
/// outside the allow-list is refused by name as soon as it appears, and opcodes that only exist
/// to call arbitrary objects (`INST`, `OBJ`, `NEWOBJ_EX`, extension registries) are refused.
///
/// Bounded by construction: every opcode consumes at least one byte and there are no jumps, so
/// it ends after at most `bytes.count` steps; every length is checked against the bytes left
/// before anything is allocated; `MARK`s nest at most `maximumMarks` deep and containers at most
/// `maximumDepth`; containers live in an arena (see `PickleValue`), so nothing recurses.
struct Unpickler {
    struct Failure: Error, Equatable {
        enum Kind: Equatable {
            /// The pickle names a global outside the allow-list (`module.name`).
            case forbiddenGlobal(String)
            case malformed(String)
        }
        var kind: Kind
        /// Byte offset of the opcode that failed.
        var offset: Int
    }

    static let maximumMarks = 1000
    static let maximumDepth = 100
    /// Longest module or attribute name a `GLOBAL` may spell.
    static let maximumNameBytes = 256

    var cursor: ByteCursor
    var arena = PickleArena()
    var stack: [PickleValue] = []
    var marks: [Int] = []
    var memo: [UInt32: PickleValue] = [:]
    var storages: [String: StorageReference] = [:]
    /// Where the current opcode started, for messages.
    var opcodeOffset = 0

    /// What one pickle held.
    struct Result {
        var value: PickleValue
        /// The containers `value` refers to.
        var arena: PickleArena
        /// Every storage a persistent id named, by key (the first declaration of each key).
        var storages: [String: StorageReference]
        /// The offset just past the pickle's `STOP`.
        var end: Int
    }

    /// Reads one pickle starting at `start`.
    static func load(_ bytes: UnsafeRawBufferPointer, from start: Int = 0) throws(Failure) -> Result {
        var unpickler = Unpickler(cursor: ByteCursor(bytes, offset: start))
        let value = try unpickler.run()
        return Result(value: value, arena: unpickler.arena, storages: unpickler.storages, end: unpickler.cursor.offset)
    }

    init(cursor: ByteCursor) { self.cursor = cursor }

    func failure(_ reason: String) -> Failure { Failure(kind: .malformed(reason), offset: opcodeOffset) }

    mutating func run() throws(Failure) -> PickleValue {
        while true {
            opcodeOffset = cursor.offset
            let opcode = try byte()
            if opcode == PickleOpcode.stop {
                guard let value = stack.popLast() else { throw failure("STOP with an empty stack") }
                return value
            }
            try step(opcode)
        }
    }

    // MARK: stack

    mutating func push(_ value: PickleValue) { stack.append(value) }

    mutating func pop() throws(Failure) -> PickleValue {
        guard stack.count > (marks.last ?? 0), let value = stack.popLast() else {
            throw failure("an opcode needs a value but the stack is empty")
        }
        return value
    }

    func top() throws(Failure) -> PickleValue {
        guard stack.count > (marks.last ?? 0), let value = stack.last else {
            throw failure("an opcode needs a value but the stack is empty")
        }
        return value
    }

    mutating func mark() throws(Failure) {
        guard marks.count < Self.maximumMarks else { throw failure("more than \(Self.maximumMarks) nested MARKs") }
        marks.append(stack.count)
    }

    /// The values pushed since the last MARK, which is removed.
    mutating func popToMark() throws(Failure) -> [PickleValue] {
        guard let mark = marks.popLast() else { throw failure("an opcode needs a MARK but there is none") }
        defer { stack.removeSubrange(mark...) }
        return Array(stack[mark...])
    }

    // MARK: containers

    /// A new container holding `items`, its depth checked.
    mutating func container(_ kind: PickleContainer.Kind, _ items: [PickleValue]) throws(Failure) -> PickleValue {
        let value = arena.add(kind, items: items)
        guard arena.depth(of: value) <= Self.maximumDepth else {
            throw failure("containers nest more than \(Self.maximumDepth) deep")
        }
        return value
    }

    /// Appends to the list or set on top of the stack (dicts take `keys` too).
    mutating func extend(_ kinds: [PickleContainer.Kind], items: [PickleValue], keys: [PickleValue] = [])
        throws(Failure)
    {
        guard case .container(let index) = try top(), kinds.contains(arena.containers[index].kind) else {
            throw failure("adds items to a \(try top().kind(in: arena)), not a \(kinds.map(\.rawValue).joined(separator: " or "))")
        }
        let deepest = (items + keys).map(arena.depth).max() ?? 0
        arena.containers[index].depth = max(arena.containers[index].depth, deepest + 1)
        guard arena.containers[index].depth <= Self.maximumDepth else {
            throw failure("containers nest more than \(Self.maximumDepth) deep")
        }
        arena.containers[index].items += items
        arena.containers[index].keys += keys
    }

    mutating func memoize(_ index: UInt32) throws(Failure) {
        memo[index] = try top()
    }

    mutating func recall(_ index: UInt32) throws(Failure) {
        guard let value = memo[index] else { throw failure("memo entry \(index) is read before it is written") }
        push(value)
    }

    // MARK: reading

    func ends(_ error: ByteCursor.Failure) -> Failure {
        switch error {
        case .pastEnd(let offset, let wanted, let end):
            return failure("the pickle ends early: \(wanted) bytes wanted at byte \(offset), the data ends at \(end)")
        }
    }

    mutating func byte() throws(Failure) -> UInt8 {
        do { return try cursor.byte() } catch { throw ends(error) }
    }

    mutating func unsigned(_ byteCount: Int) throws(Failure) -> UInt64 {
        do { return try cursor.unsigned(byteCount) } catch { throw ends(error) }
    }

    mutating func array(_ count: Int) throws(Failure) -> [UInt8] {
        do { return try cursor.array(count) } catch { throw ends(error) }
    }

    /// A length field of `byteCount` bytes, checked against the bytes left before anything is allocated.
    mutating func length(_ byteCount: Int) throws(Failure) -> Int {
        let value = try unsigned(byteCount)
        guard value <= UInt64(cursor.remaining) else {
            throw failure("a length of \(value) bytes, but only \(cursor.remaining) remain")
        }
        return Int(value)
    }

    mutating func text(_ count: Int) throws(Failure) -> String {
        let bytes = try array(count)
        // Python 2 `str` keys are bytes; UTF-8 when they decode, else Latin-1 (byte = code point).
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }

    /// A little-endian two's-complement integer of `count` bytes (LONG1, LONG4).
    mutating func integer(bytes count: Int) throws(Failure) -> PickleValue {
        let bytes = try array(count)
        guard count <= 8 else { return .bigInt(bytes) }
        guard count > 0 else { return .int(0) }
        var value: UInt64 = 0
        for (index, byte) in bytes.enumerated() { value |= UInt64(byte) << (8 * UInt64(index)) }
        if count < 8, bytes[count - 1] & 0x80 != 0 { value |= ~UInt64(0) << (8 * UInt64(count)) }  // sign-extend
        return .int(Int64(bitPattern: value))
    }

    mutating func global(module: String, name: String) throws(Failure) -> PickleValue {
        guard let global = TorchGlobal(module: module, name: name) else {
            throw Failure(kind: .forbiddenGlobal("\(module).\(name)"), offset: opcodeOffset)
        }
        return .global(global)
    }

    /// One newline-terminated line of a `GLOBAL` opcode.
    mutating func globalName() throws(Failure) -> String {
        do {
            return String(decoding: try cursor.line(limit: Self.maximumNameBytes), as: UTF8.self)
        } catch {
            throw failure("a GLOBAL name longer than \(Self.maximumNameBytes) bytes or without its newline")
        }
    }
}
