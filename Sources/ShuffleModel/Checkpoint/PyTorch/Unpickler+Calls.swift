extension Unpickler {
    /// REDUCE / NEWOBJ of an allow-listed global: builds the value the call would return, without
    /// running anything. Rebuilt tensors are checked against their storage's size right here.
    mutating func call(_ callable: PickleValue, _ arguments: PickleValue) throws(Failure) -> PickleValue {
        guard case .global(let global) = callable else {
            throw failure("calls a \(callable.kind(in: arena)), which is not a function")
        }
        guard let args = arena.sequence(arguments) else {
            throw failure("calls \(global.name) with a \(arguments.kind(in: arena)) instead of an argument tuple")
        }
        switch global {
        case .rebuildTensor, .rebuildTensorV2, .rebuildTensorV3:
            return .tensor(try tensor(global, args))
        case .rebuildParameter:
            guard case .tensor(let tensor)? = args.first else { throw failure("\(global.name) without a tensor") }
            return .tensor(tensor)
        case .rebuildFromType:
            // (function, type, arguments, state): the function is itself checked against the list.
            guard args.count >= 3 else { throw failure("\(global.name) with \(args.count) arguments") }
            return try call(args[0], args[2])
        case .orderedDict, .set, .frozenset:
            let kind: PickleContainer.Kind = global == .orderedDict ? .dict : .set
            guard args.isEmpty else {
                guard kind == .set, args.count == 1, let items = arena.sequence(args[0]) else {
                    throw failure("\(global.name) with arguments")
                }
                return try container(.set, items)
            }
            return try container(kind, [])
        case .size:
            guard args.count == 1, let sizes = arena.sequence(args[0]) else { throw failure("torch.Size without a tuple") }
            return try container(.tuple, sizes)
        case .device:
            guard case .string(let name)? = args.first else { throw failure("torch.device without a name") }
            return .string(name)
        case .encode:
            guard case .string(let text)? = args.first else { throw failure("_codecs.encode without a string") }
            let scalars = text.unicodeScalars.map(\.value)
            if args.count > 1, case .string(let encoding) = args[1], encoding.lowercased() != "latin1",
                encoding.lowercased() != "latin-1"
            {
                return .bytes(Array(text.utf8))
            }
            guard scalars.allSatisfy({ $0 <= 0xFF }) else { throw failure("_codecs.encode of text outside Latin-1") }
            return .bytes(scalars.map { UInt8($0) })
        case .bytearray:
            if case .bytes(let bytes)? = args.first { return .bytes(bytes) }
            return .bytes([])
        case .storageType, .dtype, .tensorType:
            throw failure("calls \(global.name), which builds no value a checkpoint holds")
        }
    }

    /// `_rebuild_tensor(storage, offset, size, stride)`, `_v2(..., requires_grad, hooks[, metadata])`
    /// or `_v3(..., requires_grad, hooks, dtype[, metadata])`.
    mutating func tensor(_ global: TorchGlobal, _ args: [PickleValue]) throws(Failure) -> TensorReference {
        let needed = global == .rebuildTensorV3 ? 7 : 4
        guard args.count >= needed else { throw failure("\(global.name) with \(args.count) arguments, not \(needed)") }
        guard case .storage(var storage) = args[0] else {
            throw failure("\(global.name) of a \(args[0].kind(in: arena)) instead of a storage")
        }
        var dtype = storage.dtype ?? .u8
        if global == .rebuildTensorV3 {
            guard case .global(.dtype(let named)) = args[6] else { throw failure("\(global.name) without a dtype") }
            dtype = named
        }
        var offset = try count(args[1], "storage offset")
        let shape = try counts(args[2], "size")
        let strides = try counts(args[3], "stride")
        // The storage's length in elements of the tensor's type (an untyped storage counts bytes).
        var elements = storage.byteCount / dtype.byteSize
        if let view = storage.view {
            offset += view.offset
            elements = (view.offset + view.count) * storage.elementBytes / dtype.byteSize
            storage.view = nil
        }
        if let problem = TensorReference.check(offset: offset, shape: shape, strides: strides, storageElements: elements) {
            throw failure("a tensor on storage '\(storage.key)' \(problem)")
        }
        return TensorReference(storage: storage, dtype: dtype, offset: offset, shape: shape, strides: strides)
    }

    /// A non-negative integer that fits `Int`.
    func count(_ value: PickleValue, _ what: String) throws(Failure) -> Int {
        guard case .int(let number) = value, number >= 0, number <= Int64(Int.max) else {
            throw failure("a tensor's \(what) is \(value.kind(in: arena)) \(Self.show(value)), not a count")
        }
        return Int(number)
    }

    func counts(_ value: PickleValue, _ what: String) throws(Failure) -> [Int] {
        guard let items = arena.sequence(value), items.count <= TensorReference.maximumRank else {
            throw failure("a tensor's \(what) is not a tuple of at most \(TensorReference.maximumRank) counts")
        }
        var result: [Int] = []
        for item in items { result.append(try count(item, what)) }
        return result
    }

    static func show(_ value: PickleValue) -> String {
        switch value {
        case .int(let number): return String(number)
        case .string(let text): return "'\(text.prefix(40))'"
        default: return ""
        }
    }

    /// A persistent id `('storage', type, key, location, numel[, view])`; nothing else is accepted.
    /// The legacy format's view is `(view_key, offset, size)` in elements of `type`.
    func storage(persistentID: PickleValue) throws(Failure) -> StorageReference {
        guard let id = arena.sequence(persistentID), id.count >= 5, case .string("storage") = id[0] else {
            throw failure("a persistent id that is not ('storage', type, key, location, size)")
        }
        guard case .global(.storageType(let dtype)) = id[1] else {
            throw failure("a storage whose type is \(id[1].kind(in: arena)), not a storage class")
        }
        let key: String
        switch id[2] {
        case .string(let text): key = text
        case .int(let number): key = String(number)
        default: throw failure("a storage whose key is \(id[2].kind(in: arena))")
        }
        let elementCount = try count(id[4], "storage size")
        guard elementCount.multipliedReportingOverflow(by: dtype?.byteSize ?? 1).overflow == false else {
            throw failure("storage '\(key)' declares \(elementCount) elements")
        }
        var reference = StorageReference(key: key, dtype: dtype, elementCount: elementCount, view: nil)
        if id.count > 5, let view = arena.sequence(id[5]) {
            guard view.count == 3 else { throw failure("storage '\(key)' has a view that is not (key, offset, size)") }
            let offset = try count(view[1], "view offset"), size = try count(view[2], "view size")
            guard offset <= elementCount, size <= elementCount - offset else {
                throw failure("storage '\(key)' has a view of \(size) elements at \(offset), past its \(elementCount)")
            }
            reference.view = (offset, size)
        }
        return reference
    }
}
