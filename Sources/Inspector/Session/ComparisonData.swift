import ShuffleEngine

/// Side A's and side B's outputs step by step, with their errors (see `ErrorMetrics`: B against
/// A, relative to max|a|). Built once both runs are complete.
final class ComparisonData {
    /// A step diverges when its `maxRel` exceeds this (the `diff` command's default).
    static let tolerance = 1e-4
    /// The `e` key jumps to the next step whose `maxRel` is this many times the previous matched step's.
    static let growthFactor = 10.0

    let label: String
    /// B's output by A's step index; nil where B has no matching step.
    let outputs: [Tensor?]
    /// Errors of every matched step.
    let metrics: [ErrorMetrics?]
    /// Errors per channel band of every matched step, in the step's band order.
    let bandMetrics: [[ErrorMetrics]]
    let firstDivergent: Int?

    /// - Parameters:
    ///   - run: side A, run to the end.
    ///   - outputs: side B by step name (reshaped to A's shape when the counts agree).
    init(label: String, run: NetworkRun, outputs byName: [String: Tensor]) {
        self.label = label
        var outputs: [Tensor?] = []
        var metrics: [ErrorMetrics?] = []
        var bandMetrics: [[ErrorMetrics]] = []
        for (index, node) in run.graph.nodes.enumerated() {
            guard let a = run.output(index), let b = byName[node.name], b.storage.count == a.storage.count else {
                outputs.append(nil)
                metrics.append(nil)
                bandMetrics.append([])
                continue
            }
            let shaped = Tensor(shape: a.shape, storage: b.storage)
            outputs.append(shaped)
            metrics.append(ErrorMetrics(a: a.storage, b: shaped.storage))
            let plane = a.shape.plane, channels = a.shape.c
            let bands = run.context.layerBands[safe: index] ?? []
            bandMetrics.append(bands.map { band in
                let ranges = (0..<a.shape.n).map { n in
                    ((n * channels + band.channels.lowerBound) * plane)..<((n * channels + band.channels.upperBound) * plane)
                }
                return ErrorMetrics(a: a.storage, b: shaped.storage, ranges: ranges)
            })
        }
        self.outputs = outputs
        self.metrics = metrics
        self.bandMetrics = bandMetrics
        firstDivergent = metrics.firstIndex { $0.map { !($0.maxRel <= Self.tolerance) } ?? false }
    }

    /// `maxRel` per step (nil: unmatched), for the reducer's jump.
    var relativeErrors: [Double?] { metrics.map { $0?.maxRel } }

    /// The first step after `current` whose relative error is more than `factor` times the last
    /// matched step's before it (a jump from zero counts when it exceeds the tolerance).
    static func nextGrowth(after current: Int, errors: [Double?], factor: Double = growthFactor) -> Int? {
        var previous: Double? = nil
        for index in errors.indices {
            guard let error = errors[index] else { continue }
            if index > current, let previous {
                let grew = previous > 0 ? error > previous * factor : error > tolerance
                if grew { return index }
            }
            previous = error
        }
        return nil
    }
}
