import Foundation
import ShuffleEngine

/// One step's output as a comparison sees it: where it came from and its values.
public struct StepRecord: Sendable, Equatable {
    /// The engine's step name (`stage2.unit1.pw1`), or the module path for a PyTorch dump.
    public var name: String
    /// The checkpoint module whose output this step equals, if any (`features.3`, `classifier`).
    public var source: String?
    /// The tensor's dimensions as stored: `[n, c, h, w]` for engine steps, as written for dumps.
    public var dims: [Int]
    /// `dims.reduce(1, *)` values, row-major (NCHW for engine steps).
    public var values: [Float]
    /// Channel bands of the output (groups, branches), `.whole` when unknown.
    public var bands: ChannelBands

    public init(name: String, source: String?, dims: [Int], values: [Float], bands: ChannelBands = .whole) {
        self.name = name
        self.source = source
        self.dims = dims
        self.values = values
        self.bands = bands
    }

    /// Channels: the second dimension of `[n, c, …]`, the only one of `[c]`.
    public var channels: Int { dims.count >= 2 ? dims[1] : (dims.first ?? 1) }
    /// Batch items: the first dimension of `[n, c, …]`, else 1.
    public var batch: Int { dims.count >= 2 ? dims[0] : 1 }
}

/// Every step of one run, in execution order, and what the run was.
public struct RunTrace: Sendable {
    /// `g3.safetensors (int8)`, `dump/ (PyTorch)`: names the side in reports.
    public var label: String
    public var steps: [StepRecord]

    public init(label: String, steps: [StepRecord]) {
        self.label = label
        self.steps = steps
    }

    /// The steps of a finished executor; nodes that did not run are left out.
    public init(label: String, executor: Executor) {
        self.label = label
        steps = executor.graph.nodes.indices.compactMap { index in
            guard let output = executor.outputs[index] else { return nil }
            let node = executor.graph.nodes[index]
            return StepRecord(
                name: node.name, source: node.source, dims: output.shape.dims, values: output.storage,
                bands: node.place.bands)
        }
    }

    /// The run's result: its last step (the logits for every network this program builds).
    public var result: StepRecord? { steps.last }
}
