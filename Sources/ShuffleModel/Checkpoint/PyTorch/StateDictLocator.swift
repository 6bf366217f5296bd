/// Finds the state dict in what a checkpoint pickled: the object itself when it is a dict of
/// tensors, else the entry of a wrapping dict that is one (`state_dict`, `model`, ...).
///
/// Only string keys and tensor values are taken. Other entries of the wrapper (an epoch, the
/// optimizer's state with its own tensors) are never looked into, so their storages are never read.
enum StateDictLocator {
    /// Wrapper keys in the order they are preferred when several hold tensors.
    static let wrapperKeys = [
        "state_dict", "model_state_dict", "model_state", "model", "net", "network", "module", "state", "weights",
        "params", "ema",
    ]

    struct NotFound: Error { var reason: String }

    /// The `(key, tensor)` pairs of the state dict, in stored order.
    static func locate(_ value: PickleValue, in arena: PickleArena) throws(NotFound) -> [(String, TensorReference)] {
        guard let entries = arena.stringDictionary(value) else {
            throw NotFound(reason: "it holds a \(value.kind(in: arena)), not a dict")
        }
        if let tensors = stateDict(entries, in: arena) { return tensors }
        for key in wrapperKeys {
            if let entry = entries.first(where: { $0.key == key }),
                let inner = arena.stringDictionary(entry.value), let tensors = stateDict(inner, in: arena)
            {
                return tensors
            }
        }
        let candidates = entries.compactMap { entry in
            arena.stringDictionary(entry.value).flatMap { stateDict($0, in: arena) }.map { (entry.key, $0) }
        }
        if candidates.count == 1, let only = candidates.first { return only.1 }
        let names = entries.prefix(8).map(\.key).joined(separator: ", ")
        if candidates.isEmpty {
            throw NotFound(
                reason: entries.isEmpty
                    ? "it is an empty dict" : "none of its entries (\(names)) is a dict of tensors")
        }
        throw NotFound(
            reason: "several entries hold tensors (\(candidates.map(\.0).joined(separator: ", "))) and none is "
                + "named \(wrapperKeys.prefix(4).joined(separator: ", ")) ...")
    }

    /// The tensors of `entries` when it looks like a state dict: at least one tensor, and no
    /// containers (a wrapper holds dicts; a state dict holds tensors and perhaps a few scalars).
    private static func stateDict(_ entries: [(key: String, value: PickleValue)], in arena: PickleArena)
        -> [(String, TensorReference)]?
    {
        var tensors: [(String, TensorReference)] = []
        for (key, value) in entries {
            switch value {
            case .tensor(let tensor): tensors.append((key, tensor))
            case .container, .storage: return nil
            default: continue
            }
        }
        return tensors.isEmpty ? nil : tensors
    }
}
