/// A step of one side that has no counterpart on the other.
public struct UnmatchedStep: Sendable, Equatable {
    /// `a` or `b`.
    public var side: String
    public var name: String
    public var source: String?
    /// `no counterpart`, or why a counterpart by name or module could not be compared.
    public var reason: String
}

/// One class of a top-K list.
public struct RankedClass: Sendable, Equatable {
    public var index: Int
    public var value: Float
}

/// Two runs compared step by step.
///
/// Steps are matched by name first (two runs of this program's engine), then by checkpoint
/// module (`source`) among the steps still unmatched, so an engine run meets a PyTorch dump at
/// every module output. A matched pair must hold as many values; its error is B's against A's.
public struct RunComparison: Sendable {
    public static let defaultTolerance = 1e-4
    public static let defaultTopK = 5

    public var labelA: String
    public var labelB: String
    public var tolerance: Double
    /// Matched steps in A's order.
    public var steps: [StepComparison]
    public var unmatched: [UnmatchedStep]
    /// The index in `steps` of the first step whose `maxRel` exceeds `tolerance` (or is NaN).
    public var firstDivergentIndex: Int?
    /// The largest values of each side's last step (its logits), highest first.
    public var topA: [RankedClass]
    public var topB: [RankedClass]

    public init(a: RunTrace, b: RunTrace, tolerance: Double = defaultTolerance, topK: Int = defaultTopK) {
        labelA = a.label
        labelB = b.label
        self.tolerance = tolerance
        var pairs: [(Int, Int)] = []
        var usedB = Set<Int>()
        var matchedA = Set<Int>()
        var byName: [String: Int] = [:]
        for (index, step) in b.steps.enumerated() where byName[step.name] == nil { byName[step.name] = index }
        for (index, step) in a.steps.enumerated() {
            guard let other = byName[step.name], !usedB.contains(other) else { continue }
            pairs.append((index, other))
            usedB.insert(other)
            matchedA.insert(index)
        }
        // Then by module, where a module names exactly one remaining step on each side.
        func remainingBySource(_ steps: [StepRecord], excluding used: Set<Int>) -> [String: [Int]] {
            var result: [String: [Int]] = [:]
            for (index, step) in steps.enumerated() where !used.contains(index) {
                if let source = step.source { result[source, default: []].append(index) }
            }
            return result
        }
        let sourcesA = remainingBySource(a.steps, excluding: matchedA)
        let sourcesB = remainingBySource(b.steps, excluding: usedB)
        for (source, indices) in sourcesA {
            guard indices.count == 1, let others = sourcesB[source], others.count == 1 else { continue }
            pairs.append((indices[0], others[0]))
            matchedA.insert(indices[0])
            usedB.insert(others[0])
        }
        pairs.sort { $0.0 < $1.0 }

        var steps: [StepComparison] = []
        var unmatched: [UnmatchedStep] = []
        for (i, j) in pairs {
            let x = a.steps[i], y = b.steps[j]
            if x.values.count != y.values.count {
                let reason = "shape \(x.dims) in A, \(y.dims) in B"
                unmatched.append(UnmatchedStep(side: "a", name: x.name, source: x.source, reason: reason))
                unmatched.append(UnmatchedStep(side: "b", name: y.name, source: y.source, reason: reason))
            } else {
                steps.append(StepComparison(a: x, b: y))
            }
        }
        for (index, step) in a.steps.enumerated() where !matchedA.contains(index) {
            unmatched.append(UnmatchedStep(side: "a", name: step.name, source: step.source, reason: Self.reason(step)))
        }
        for (index, step) in b.steps.enumerated() where !usedB.contains(index) {
            unmatched.append(UnmatchedStep(side: "b", name: step.name, source: step.source, reason: Self.reason(step)))
        }
        self.steps = steps
        self.unmatched = unmatched
        firstDivergentIndex = steps.firstIndex { !($0.metrics.maxRel <= tolerance) }
        topA = Self.top(a.result?.values ?? [], k: topK)
        topB = Self.top(b.result?.values ?? [], k: topK)
    }

    public var firstDivergent: StepComparison? { firstDivergentIndex.map { steps[$0] } }

    /// Whether both sides' largest result value is the same class (false when either is empty).
    public var top1Agrees: Bool {
        guard let x = topA.first, let y = topB.first else { return false }
        return x.index == y.index
    }

    /// Why a step found no counterpart.
    static func reason(_ step: StepRecord) -> String {
        step.source == nil ? "no counterpart (an inner step; no checkpoint module names it)" : "no counterpart"
    }

    /// The `k` largest values, highest first; ties keep the lower index first.
    static func top(_ values: [Float], k: Int) -> [RankedClass] {
        let ranked = values.enumerated().sorted { $0.element != $1.element ? $0.element > $1.element : $0.offset < $1.offset }
        return ranked.prefix(max(0, k)).map { RankedClass(index: $0.offset, value: $0.element) }
    }
}
