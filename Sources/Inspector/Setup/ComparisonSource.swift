import ShuffleEngine

/// The run that compare mode sets beside the inspected one (side B): another checkpoint, a
/// precision, a shuffle convention or a dump, prepared by the caller, so the inspector needs no
/// knowledge of models or files.
public struct ComparisonSource {
    /// `g3.safetensors (int8)`: names side B in the header.
    public var label: String
    /// B's output for every step it has, by the inspected graph's step names. A step without an
    /// entry, or whose entry holds a different number of values, is shown as unmatched.
    public var outputs: () throws -> [String: Tensor]

    public init(label: String, outputs: @escaping () throws -> [String: Tensor]) {
        self.label = label
        self.outputs = outputs
    }
}
