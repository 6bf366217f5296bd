import Dispatch

/// A graph planned once for repeated inference: element-wise nodes are folded into the kernels
/// next to them (see `StepPlan`), every stored output has a fixed place in one preallocated
/// arena (buffers never alive together share memory, see `BufferPlan`), every kernel's
/// arguments are built up front and scratch is reserved, so `run` allocates nothing after the
/// first call. Results are bit-identical to `Executor`'s.
///
/// Only the last node's output survives a run; use `Executor` to keep and inspect every layer.
public final class ForwardPass {
    public let graph: Graph
    public let context: KernelContext
    /// When true, `run` records each step's wall time in `stepSeconds` (two clock reads a step).
    public var recordsStepTimes = false
    /// Wall time of each step in the last run that recorded them, in seconds.
    public private(set) var stepSeconds: [Double]
    /// The graph nodes each step computes (more than one where nodes were folded together).
    public let stepNodes: [[Int]]

    private let arena: UnsafeMutablePointer<Float>
    private let arenaCount: Int
    private var kernels: [PlannedKernel]
    /// Arguments that read the graph input, patched at the start of each run.
    private let graphInputUses: [(step: Int, slot: Int?)]
    private var result: Tensor
    private let output: TensorView

    private struct PlannedKernel {
        var op: Op
        var inputs: [TensorView]
        var output: MutableTensorView
        var fusion: Fusion
    }

    /// Validates and plans `graph`. `threads` threads run the kernels (1 runs everything on the
    /// caller's thread); `fuses: false` runs every node as its own step.
    public convenience init(graph: Graph, threads: Int = 1, fuses: Bool = true) throws(ExecutionError) {
        try self.init(graph: graph, context: KernelContext(threads: threads), fuses: fuses)
    }

    public init(graph: Graph, context: KernelContext, fuses: Bool = true) throws(ExecutionError) {
        try graph.validate()
        self.graph = graph
        self.context = context
        let steps = StepPlan(graph: graph, fuses: fuses)
        let buffers = BufferPlan(graph: graph, steps: steps)
        arenaCount = max(1, buffers.arenaFloats)
        arena = .allocateLines(capacity: arenaCount)
        arena.initialize(repeating: 0, count: arenaCount)
        let arena = self.arena
        let nodes = graph.nodes
        /// Where node `index`'s output lives; nil only for folded shuffles, which no step reads.
        func view(of index: Int) -> MutableTensorView? {
            guard let placement = steps.placements[index], let offset = buffers.offsets[placement.owner] else { return nil }
            let owner = nodes[placement.owner].outputShape
            let shape = nodes[index].outputShape
            return MutableTensorView(
                base: arena + offset + placement.channelOffset * shape.plane, shape: shape, batchStride: owner.item)
        }
        var kernels: [PlannedKernel] = []
        var graphInputUses: [(step: Int, slot: Int?)] = []
        func resolve(_ input: NodeInput, step: Int, slot: Int?) -> TensorView {
            switch input {
            case .graphInput:
                graphInputUses.append((step, slot))
                return TensorView(base: arena, shape: graph.inputShape)
            case .node(let source):
                return view(of: source)?.readOnly ?? TensorView(base: arena, shape: nodes[source].outputShape)
            }
        }
        for (index, step) in steps.steps.enumerated() {
            var fusion = step.fusion
            fusion.residual = step.residual.map { resolve($0, step: index, slot: nil) }
            let inputs = step.inputs.enumerated().map { slot, input in resolve(input, step: index, slot: slot) }
            let output = view(of: step.node) ?? view(of: step.writes)
            assert(Kernels.canApply(fusion, to: nodes[step.node].op))
            kernels.append(PlannedKernel(
                op: nodes[step.node].op, inputs: inputs,
                output: output ?? MutableTensorView(base: arena, shape: nodes[step.writes].outputShape), fusion: fusion))
        }
        self.kernels = kernels
        self.graphInputUses = graphInputUses
        stepNodes = steps.steps.map { [$0.node] + $0.absorbed }
        stepSeconds = Array(repeating: 0, count: steps.steps.count)
        let last = nodes.count - 1
        output = view(of: last)?.readOnly ?? TensorView(base: arena, shape: nodes[last].outputShape)
        result = Tensor(zeros: nodes[last].outputShape)
        // The most scratch any step's kernel asks for (scratch is per worker, so the count does
        // not depend on threads).
        context.reserveScratch(floatsPerWorker: kernels.reduce(0) { largest, kernel in
            max(largest, Kernels.scratchFloats(
                for: kernel.op, output: kernel.output.shape, inputs: kernel.inputs.map(\.shape), fusion: kernel.fusion))
        })
    }

    deinit { arena.deallocate() }

    /// Floats of arena memory the plan uses (all stored outputs together, after sharing).
    public var arenaFloats: Int { arenaCount }

    /// A readable name for each step: its node names joined with " + ".
    public var stepNames: [String] { stepNodes.map { $0.map { graph.nodes[$0].name }.joined(separator: " + ") } }

    /// Runs the whole graph on `input` and returns the last node's output.
    ///
    /// The returned tensor shares storage with the pass until the next run, which writes into it
    /// again unless the caller still holds it (then the array copies on write, as usual).
    public func run(_ input: Tensor) throws(ExecutionError) -> Tensor {
        guard input.shape == graph.inputShape else {
            throw ExecutionError("input shape \(input.shape) does not match the network's \(graph.inputShape)")
        }
        input.storage.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { runSteps(input: base) }
        }
        let output = self.output
        result.storage.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { base.update(from: output.base, count: output.shape.count) }
        }
        return result
    }

    /// Runs the whole graph on `input` (`graph.inputShape.count` floats) and returns a view of
    /// the last node's output, valid until the next run.
    public func run(input: UnsafePointer<Float>) -> UnsafeBufferPointer<Float> {
        runSteps(input: input)
        return UnsafeBufferPointer(start: output.base, count: output.shape.count)
    }

    private func runSteps(input: UnsafePointer<Float>) {
        for use in graphInputUses {
            if let slot = use.slot {
                kernels[use.step].inputs[slot].base = input
            } else {
                kernels[use.step].fusion.residual?.base = input
            }
        }
        if recordsStepTimes {
            for index in kernels.indices {
                let start = DispatchTime.now().uptimeNanoseconds
                let kernel = kernels[index]
                Kernels.run(kernel.op, inputs: kernel.inputs, output: kernel.output, fusion: kernel.fusion, context: context)
                stepSeconds[index] = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            }
        } else {
            for kernel in kernels {
                Kernels.run(kernel.op, inputs: kernel.inputs, output: kernel.output, fusion: kernel.fusion, context: context)
            }
        }
    }
}
