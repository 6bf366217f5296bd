/// Runs a graph one node at a time like `Executor`, but hands every step to the caller as it is
/// produced and then releases each output once no later step reads it, so only the live set
/// (`ActivationMemory.streaming`) is in memory at once, not every output.
public enum StreamingRun {
    /// Runs `graph` on `input`, calling `visit` with each step in order, and returns the last
    /// node's output. Throws `ExecutionError` for an input that does not fit the graph; an
    /// error thrown by `visit` stops the run.
    public static func run(
        graph: Graph, input: Tensor, context: KernelContext, visit: (Step) throws -> Void
    ) throws -> Tensor {
        let executor = try Executor(graph: graph, input: input, context: context)
        let releases = graph.releasesAfterEachNode()
        var last = input
        while let step = executor.step() {
            try visit(step)
            last = step.output
            for index in releases[step.index] { executor.discardOutput(at: index) }
        }
        return last
    }

    /// The first node whose output holds a NaN or infinity, with where, found by running the
    /// graph streaming; nil when every output is finite.
    public static func firstNonFinite(
        graph: Graph, input: Tensor, context: KernelContext
    ) throws(ExecutionError) -> (node: Int, value: NonFiniteValue)? {
        struct Found: Error { var node: Int; var value: NonFiniteValue }
        do {
            _ = try run(graph: graph, input: input, context: context) { step in
                if let value = step.output.firstNonFinite() { throw Found(node: step.index, value: value) }
            }
        } catch let found as Found {
            return (found.node, found.value)
        } catch let error as ExecutionError {
            throw error
        } catch {
            throw ExecutionError("\(error)")
        }
        return nil
    }
}
