import Foundation

/// The result of running one node.
public struct Step: Sendable {
    public var index: Int
    public var node: Node
    public var output: Tensor
    /// Wall time of the node's kernel, in seconds.
    public var seconds: Double
}

/// Why a graph cannot run on an input.
public struct ExecutionError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Runs a graph one node at a time and keeps every node's output, so a caller can step
/// forward, look back, and time each step. Running every step is the ordinary forward pass.
///
/// Each step runs the optimised kernels on the context's threads into a fresh tensor; for
/// repeated inference without keeping every output, `ForwardPass` is faster.
public final class Executor {
    public let graph: Graph
    /// Threads and scratch memory the kernels run with.
    public let context: KernelContext
    public private(set) var input: Tensor
    /// Output of each node once it has run.
    public private(set) var outputs: [Tensor?]
    /// Wall time of each node once it has run, in seconds.
    public private(set) var durations: [Double?]
    /// Index of the node the next `step()` runs; `graph.nodes.count` when finished.
    public private(set) var nextIndex: Int = 0
    /// Storage of the previous run's outputs, written again by the next run unless a caller
    /// still holds those tensors (then the array copies on write, as usual).
    private var recycled: [[Float]?]
    /// Called on each node's output right after its kernel, before the next node reads it, with
    /// the node's index (untimed). Lets a caller simulate effects the kernels do not have, such
    /// as quantizing every activation; nil (the default) leaves outputs as the kernels wrote them.
    public var outputTransform: ((Int, UnsafeMutableBufferPointer<Float>) -> Void)?

    /// - Parameter threads: threads the kernels may use (1 runs everything on the caller's thread).
    public convenience init(graph: Graph, input: Tensor, threads: Int = 1) throws(ExecutionError) {
        try self.init(graph: graph, input: input, context: KernelContext(threads: threads))
    }

    public init(graph: Graph, input: Tensor, context: KernelContext) throws(ExecutionError) {
        guard input.shape == graph.inputShape else {
            throw ExecutionError("input shape \(input.shape) does not match the network's \(graph.inputShape)")
        }
        try graph.validate()
        self.graph = graph
        self.context = context
        self.input = input
        self.outputs = Array(repeating: nil, count: graph.nodes.count)
        self.durations = Array(repeating: nil, count: graph.nodes.count)
        self.recycled = Array(repeating: nil, count: graph.nodes.count)
    }

    public var isFinished: Bool { nextIndex >= graph.nodes.count }

    /// Runs the next node and returns its step, or nil when every node has run.
    @discardableResult
    public func step() -> Step? {
        guard !isFinished else { return nil }
        let index = nextIndex
        let node = graph.nodes[index]
        let inputs = node.inputs.map(tensor(for:))
        let shape = node.outputShape
        // Reuse this node's storage from the previous run: a fresh multi-megabyte array per
        // node would cost more in page faults than the kernels cost in arithmetic.
        var storage = recycled[index] ?? []
        recycled[index] = nil
        if storage.count != shape.count {
            storage = [Float](unsafeUninitializedCapacity: shape.count) { _, initialized in initialized = shape.count }
        }
        let start = DispatchTime.now().uptimeNanoseconds
        storage.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            Kernels.withViews(of: inputs[...]) { views in
                Kernels.run(node.op, inputs: views, output: MutableTensorView(base: base, shape: shape), context: context)
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if let outputTransform { storage.withUnsafeMutableBufferPointer { outputTransform(index, $0) } }
        let output = Tensor(shape: shape, storage: storage)
        outputs[index] = output
        durations[index] = seconds
        nextIndex += 1
        return Step(index: index, node: node, output: output, seconds: seconds)
    }

    /// Runs every remaining node and returns the last node's output.
    @discardableResult
    public func runToEnd() -> Tensor {
        while step() != nil {}
        return outputs.last.flatMap { $0 } ?? input
    }

    /// Forgets every output and starts again from the first node (optionally on a new input).
    public func reset(input newInput: Tensor? = nil) throws(ExecutionError) {
        if let newInput {
            guard newInput.shape == graph.inputShape else {
                throw ExecutionError("input shape \(newInput.shape) does not match the network's \(graph.inputShape)")
            }
            input = newInput
        }
        for index in outputs.indices {
            recycled[index] = outputs[index]?.storage
            outputs[index] = nil
            durations[index] = nil
        }
        nextIndex = 0
    }

    private func tensor(for input: NodeInput) -> Tensor {
        switch input {
        case .graphInput: return self.input
        case .node(let i):
            guard let t = outputs[i] else { preconditionFailure("node \(i) read before it ran") }
            return t
        }
    }
}
