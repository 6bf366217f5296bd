import Foundation
import Inspector
import ShuffleEngine
import ShuffleModel

/// `inspect --compare B`: side B of compare mode, prepared here so the inspector stays blind to
/// models and files.
struct CompareOptions {
    /// A weights file or a step-dump directory; nil: the inspected weights.
    var path: String?
    var precision: Precision?
    var shuffle: ShuffleOption?

    var isEmpty: Bool { path == nil && precision == nil && shuffle == nil }

    /// B for `run`, on the same input; nil when no option asks for one (compare mode then sets
    /// the network without shuffles beside it).
    func source(for run: LoadedRun) -> ComparisonSource? {
        guard !isEmpty else { return nil }
        let url = path.map { URL(fileURLWithPath: $0) }
        var details: [String] = []
        if let shuffle { details.append("\(shuffle.convention.optionName) shuffle") }
        if let precision { details.append(precision.rawValue) }
        let name = url.map { $0.lastPathComponent + (StepDumpReader.isDump($0) ? "/ (step dump)" : "") } ?? "same weights"
        let label = details.isEmpty ? name : "\(name) (\(details.joined(separator: ", ")))"
        let model = run.model, input = run.input
        let (precision, shuffle) = (self.precision ?? .f32, self.shuffle?.convention)
        return ComparisonSource(label: label) {
            if let url, StepDumpReader.isDump(url) {
                guard self.precision == nil, shuffle == nil else {
                    throw UsageError("\(url.path): a step dump is compared as written; --compare-precision and --compare-shuffle apply to weights")
                }
                return Self.byStepName(try StepDumpReader.read(directory: url), graph: model.graph)
            }
            var network: any ShuffleNetwork = model
            if let url {
                network = try ModelLoader.load(ModelRequest(weights: url, inputSize: model.inputSize, shuffle: shuffle))
            } else if let shuffle {
                network = model.rebuilt(shuffle: shuffle)
            }
            let executor = try PrecisionSimulation.run(
                graph: network.graph, input: input, precision: precision,
                threads: ProcessInfo.processInfo.activeProcessorCount)
            return Self.byStepName(RunTrace(label: label, executor: executor), graph: model.graph)
        }
    }

    /// B's outputs under A's step names: by name, else by the checkpoint module both name.
    static func byStepName(_ trace: RunTrace, graph: Graph) -> [String: Tensor] {
        var names: [String: String] = [:]
        for node in graph.nodes { if let source = node.source { names[source] = node.name } }
        let known = Set(graph.nodes.map(\.name))
        var result: [String: Tensor] = [:]
        for step in trace.steps {
            let name = known.contains(step.name) ? step.name : step.source.flatMap { names[$0] }
            guard let name, result[name] == nil else { continue }
            result[name] = Tensor(shape: Shape(n: 1, c: step.values.count, h: 1, w: 1), storage: step.values)
        }
        return result
    }
}
