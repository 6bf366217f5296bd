extension Unpickler {
    /// Executes one opcode (already read) on the stack, memo and arena.
    mutating func step(_ opcode: UInt8) throws(Failure) {
        typealias Op = PickleOpcode
        switch opcode {
        case Op.proto:
            let version = try byte()
            guard (2...5).contains(version) else { throw failure("pickle protocol \(version); checkpoints use 2 to 5") }
        case Op.frame: _ = try unsigned(8)  // a length hint only
        case Op.mark: try mark()
        case Op.pop: _ = try pop()
        case Op.popMark: _ = try popToMark()
        case Op.dup: push(try top())
        case Op.none: push(.none)
        case Op.newTrue: push(.bool(true))
        case Op.newFalse: push(.bool(false))
        case Op.binInt: push(.int(Int64(Int32(bitPattern: UInt32(try unsigned(4))))))
        case Op.binInt1: push(.int(Int64(try unsigned(1))))
        case Op.binInt2: push(.int(Int64(try unsigned(2))))
        case Op.long1: push(try integer(bytes: try length(1)))
        case Op.long4: push(try integer(bytes: try length(4)))
        case Op.binFloat:
            // Big-endian, unlike every other number in a pickle.
            let bits = try array(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            push(.float(Double(bitPattern: bits)))
        case Op.shortBinUnicode, Op.shortBinString: push(.string(try text(try length(1))))
        case Op.binUnicode, Op.binString: push(.string(try text(try length(4))))
        case Op.binUnicode8: push(.string(try text(try length(8))))
        case Op.shortBinBytes: push(.bytes(try array(try length(1))))
        case Op.binBytes: push(.bytes(try array(try length(4))))
        case Op.binBytes8: push(.bytes(try array(try length(8))))
        case Op.emptyTuple: push(try container(.tuple, []))
        case Op.tuple: push(try container(.tuple, try popToMark()))
        case Op.tuple1:
            let a = try pop()
            push(try container(.tuple, [a]))
        case Op.tuple2:
            let b = try pop(), a = try pop()
            push(try container(.tuple, [a, b]))
        case Op.tuple3:
            let c = try pop(), b = try pop(), a = try pop()
            push(try container(.tuple, [a, b, c]))
        case Op.emptyList: push(try container(.list, []))
        case Op.list: push(try container(.list, try popToMark()))
        case Op.append: try extend([.list], items: [try pop()])
        case Op.appends: try extend([.list], items: try popToMark())
        case Op.emptyDict: push(try container(.dict, []))
        case Op.dict:
            let items = try popToMark()
            push(try container(.dict, []))
            try setItems(items)
        case Op.setItem:
            let value = try pop(), key = try pop()
            try extend([.dict], items: [value], keys: [key])
        case Op.setItems: try setItems(try popToMark())
        case Op.emptySet: push(try container(.set, []))
        case Op.addItems: try extend([.set], items: try popToMark())
        case Op.frozenSet: push(try container(.set, try popToMark()))
        case Op.binPut: try memoize(UInt32(try unsigned(1)))
        case Op.longBinPut: try memoize(UInt32(try unsigned(4)))
        case Op.memoize: try memoize(UInt32(truncatingIfNeeded: memo.count))
        case Op.binGet: try recall(UInt32(try unsigned(1)))
        case Op.longBinGet: try recall(UInt32(try unsigned(4)))
        case Op.global:
            let module = try globalName()
            let name = try globalName()
            push(try global(module: module, name: name))
        case Op.stackGlobal:
            guard case .string(let name) = try pop(), case .string(let module) = try pop() else {
                throw failure("STACK_GLOBAL without two names")
            }
            push(try global(module: module, name: name))
        case Op.binPersistentID:
            let storage = try storage(persistentID: try pop())
            if storages[storage.key] == nil { storages[storage.key] = storage }
            push(.storage(storage))
        case Op.reduce, Op.newObject:
            let arguments = try pop()
            let callable = try pop()
            push(try call(callable, arguments))
        case Op.build: _ = try pop()  // object state (e.g. a state dict's `_metadata`): not needed
        default:
            throw failure("opcode 0x\(String(opcode, radix: 16)) is not one a checkpoint needs")
        }
    }

    /// Key, value pairs into the dict on top of the stack.
    mutating func setItems(_ items: [PickleValue]) throws(Failure) {
        guard items.count % 2 == 0 else { throw failure("SETITEMS with an odd number of values") }
        let keys = stride(from: 0, to: items.count, by: 2).map { items[$0] }
        let values = stride(from: 1, to: items.count, by: 2).map { items[$0] }
        try extend([.dict], items: values, keys: keys)
    }
}
