/// How much activation memory a pass of a graph needs at its peak, per execution mode, worked
/// out from the plans alone (nothing is allocated), so a command can say what it will cost
/// before it starts and choose a mode that fits.
///
/// Every figure is in bytes of `Float` storage and counts the graph input, the outputs alive at
/// the peak and the kernels' scratch (per worker × `threads`). Weights are not included.
/// - `fastPath`: `ForwardPass` (fused steps, one arena shared by liveness): input + arena + scratch.
/// - `everyOutput`: `Executor` keeping every node's output (the inspector, `bench --keep-outputs`):
///   input + Σ outputs + scratch.
/// - `streaming`: `Executor` with each output released after the last step that reads it (as
///   `infer --dump` does once the output is on disk): input + the largest live set + scratch.
public struct ActivationMemory: Equatable, Sendable {
    public var fastPath: Int
    public var everyOutput: Int
    public var streaming: Int

    public init(graph: Graph, threads: Int = 1) {
        let floatBytes = MemoryLayout<Float>.stride
        let nodes = graph.nodes
        let input = graph.inputShape.count
        let workers = max(1, threads)

        let steps = StepPlan(graph: graph, fuses: true)
        let buffers = BufferPlan(graph: graph, steps: steps)
        let fusedScratch = steps.steps.reduce(0) { largest, step in
            let inputs = step.inputs.map { Self.shape(of: $0, in: graph) }
            return max(largest, Kernels.scratchFloats(
                for: nodes[step.node].op, output: nodes[step.writes].outputShape, inputs: inputs, fusion: step.fusion))
        }
        fastPath = (input + max(1, buffers.arenaFloats) + Self.scratch(fusedScratch, workers)) * floatBytes

        let plainScratch = nodes.reduce(0) { largest, node in
            max(largest, Kernels.scratchFloats(
                for: node.op, output: node.outputShape, inputs: node.inputs.map { Self.shape(of: $0, in: graph) }))
        }
        let scratch = Self.scratch(plainScratch, workers)
        everyOutput = (input + nodes.reduce(0) { $0 + $1.outputShape.count } + scratch) * floatBytes

        var live = 0
        var peak = 0
        for (index, released) in graph.releasesAfterEachNode().enumerated() {
            live += nodes[index].outputShape.count
            peak = max(peak, live)
            for source in released { live -= nodes[source].outputShape.count }
        }
        streaming = (input + peak + scratch) * floatBytes
    }

    /// What `KernelContext.reserveScratch` allocates for `floats` per worker.
    static func scratch(_ floats: Int, _ workers: Int) -> Int {
        floats == 0 ? 0 : ((floats + 15) / 16 * 16 + 16) * workers
    }

    static func shape(of input: NodeInput, in graph: Graph) -> Shape {
        switch input {
        case .graphInput: graph.inputShape
        case .node(let index): graph.nodes[index].outputShape
        }
    }
}

extension Graph {
    /// For each node, the index of the last node that reads its output; nil for the last node
    /// (the graph's output, kept to the end) and for nodes nothing reads.
    public func lastReaders() -> [Int?] {
        var last = [Int?](repeating: nil, count: nodes.count)
        for (index, node) in nodes.enumerated() {
            for case .node(let source) in node.inputs { last[source] = index }
        }
        if let final = nodes.indices.last { last[final] = nil }
        return last
    }

    /// For each node, the outputs no later node reads once it has run: those it was the last to
    /// read, and its own if nothing reads it (the graph's output is never released).
    public func releasesAfterEachNode() -> [[Int]] {
        var releases = [[Int]](repeating: [], count: nodes.count)
        for (source, reader) in lastReaders().enumerated() {
            if let reader {
                releases[reader].append(source)
            } else if source != nodes.count - 1 {
                releases[source].append(source)
            }
        }
        return releases
    }
}
