/// A value the restricted unpickler builds. Scalars are held inline; containers live in a
/// `PickleArena` and are referred to by index, so no value nests inside another in memory:
/// however deep a hostile pickle nests its lists, nothing recurses over them (no deep
/// destructor chains, no recursive walks).
enum PickleValue {
    case none
    case bool(Bool)
    case int(Int64)
    /// An integer wider than 64 bits, as its little-endian two's-complement bytes (e.g. the
    /// legacy format's 80-bit magic number).
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    case bytes([UInt8])
    /// A tuple, list, dict or set: an index into `PickleArena.containers`.
    case container(Int)
    /// An allow-listed global, not yet called.
    case global(TorchGlobal)
    /// A storage named by a persistent id; its bytes are located and read only on demand.
    case storage(StorageReference)
    /// A tensor: a view into a storage, not materialised.
    case tensor(TensorReference)

    /// A short name for messages: `int`, `str`, `tuple`, `tensor`, ...
    func kind(in arena: PickleArena) -> String {
        switch self {
        case .none: return "None"
        case .bool: return "bool"
        case .int, .bigInt: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case .container(let index): return arena.containers[index].kind.rawValue
        case .global(let global): return global.name
        case .storage: return "storage"
        case .tensor: return "tensor"
        }
    }
}

/// One container built by the unpickler. Dicts keep `keys` parallel to `items`, in insertion order.
struct PickleContainer {
    enum Kind: String { case tuple, list, dict, set }
    var kind: Kind
    var items: [PickleValue] = []
    var keys: [PickleValue] = []
    /// How many containers deep this one nests others, counted as items arrive.
    var depth = 1
}

/// Every container of one pickle, addressed by index.
struct PickleArena {
    var containers: [PickleContainer] = []

    mutating func add(_ kind: PickleContainer.Kind, items: [PickleValue] = []) -> PickleValue {
        containers.append(PickleContainer(kind: kind, items: items, depth: 1 + (items.map(depth).max() ?? 0)))
        return .container(containers.count - 1)
    }

    func depth(of value: PickleValue) -> Int {
        if case .container(let index) = value { return containers[index].depth }
        return 0
    }

    /// The items of a tuple (or list), nil for anything else.
    func sequence(_ value: PickleValue) -> [PickleValue]? {
        guard case .container(let index) = value else { return nil }
        let container = containers[index]
        return container.kind == .tuple || container.kind == .list ? container.items : nil
    }

    /// The string-keyed entries of a dict, in order (a later duplicate key wins, as in Python);
    /// nil for anything else. Entries whose key is not a string are left out.
    func stringDictionary(_ value: PickleValue) -> [(key: String, value: PickleValue)]? {
        guard case .container(let index) = value, containers[index].kind == .dict else { return nil }
        let container = containers[index]
        var order: [String] = []
        var latest: [String: PickleValue] = [:]
        for (key, item) in zip(container.keys, container.items) {
            guard case .string(let name) = key else { continue }
            if latest[name] == nil { order.append(name) }
            latest[name] = item
        }
        return order.compactMap { name in latest[name].map { (key: name, value: $0) } }
    }

    /// How many entries a dict has (string keys or not), nil for anything else.
    func dictionaryCount(_ value: PickleValue) -> Int? {
        guard case .container(let index) = value, containers[index].kind == .dict else { return nil }
        return containers[index].items.count
    }
}
