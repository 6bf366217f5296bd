import ShuffleEngine

/// Runs a graph as if its weights (and for int8 its activations) were stored in a narrower
/// format; see `Precision` for what this does and does not simulate.
public enum PrecisionSimulation {
    /// The per-tensor activation ranges of int8: one for the graph's input and one per node.
    public struct Calibration: Sendable, Equatable {
        public var input: Int8Quantization.ActivationScale
        public var steps: [Int8Quantization.ActivationScale]
    }

    /// `graph` with every stored weight tensor rounded to `precision`: each convolution's
    /// (batch-norm-folded) weight and bias and the classifier's, as a runtime that folds batch
    /// norm and then converts would hold them. int8 quantizes weights per output channel and
    /// keeps biases in Float32.
    public static func graph(_ graph: Graph, precision: Precision) -> Graph {
        guard precision != .f32 else { return graph }
        var result = graph
        for index in result.nodes.indices {
            switch result.nodes[index].op {
            case .convolution(var conv):
                conv.weight = weights(conv.weight, outputs: conv.outputChannels, precision)
                conv.bias = FloatRounding.round(conv.bias, to: precision)
                result.nodes[index].op = .convolution(conv)
            case .linear(var linear):
                linear.weight = weights(linear.weight, outputs: linear.outputFeatures, precision)
                linear.bias = FloatRounding.round(linear.bias, to: precision)
                result.nodes[index].op = .linear(linear)
            default:
                break
            }
        }
        return result
    }

    private static func weights(_ values: [Float], outputs: Int, _ precision: Precision) -> [Float] {
        precision == .int8 ? Int8Quantization.weights(values, outputs: outputs) : FloatRounding.round(values, to: precision)
    }

    /// The min/max of the input and of every step's output in a Float32 run of `graph` on `input`
    /// (static calibration: the ranges a float model shows on the calibration input).
    public static func calibrate(graph: Graph, input: Tensor, threads: Int = 1) throws(ExecutionError) -> Calibration {
        let executor = try Executor(graph: graph, input: input, threads: threads)
        executor.runToEnd()
        return calibration(executor)
    }

    /// The calibration of an executor that has run every node.
    public static func calibration(_ executor: Executor) -> Calibration {
        func scale(_ values: some Collection<Float>) -> Int8Quantization.ActivationScale {
            let range = Int8Quantization.range(values)
            return Int8Quantization.ActivationScale(minimum: range.minimum, maximum: range.maximum)
        }
        return Calibration(
            input: scale(executor.input.storage), steps: executor.outputs.map { scale($0?.storage ?? []) })
    }

    /// An executor that has run `graph` at `precision` on `input`. int8 quantizes the input and
    /// every step's output with `calibration` (computed from a Float32 run when nil).
    public static func run(
        graph: Graph, input: Tensor, precision: Precision, calibration: Calibration? = nil, threads: Int = 1
    ) throws -> Executor {
        let rounded = self.graph(graph, precision: precision)
        guard precision == .int8 else {
            let executor = try Executor(graph: rounded, input: input, threads: threads)
            executor.runToEnd()
            return executor
        }
        let ranges = try calibration ?? calibrate(graph: graph, input: input, threads: threads)
        guard ranges.steps.count == graph.nodes.count else {
            throw DiffError.missingCalibration(step: graph.nodes.last?.name ?? "input")
        }
        var quantizedInput = input
        quantizedInput.storage = input.storage.map(ranges.input.apply)
        let executor = try Executor(graph: rounded, input: quantizedInput, threads: threads)
        let scales = ranges.steps
        executor.outputTransform = { index, buffer in
            let scale = scales[index]
            for i in buffer.indices { buffer[i] = scale.apply(buffer[i]) }
        }
        executor.runToEnd()
        return executor
    }
}
