import ShuffleEngine

extension InspectorSession {
    /// Side B of compare mode: the setup's comparison, else the same network without shuffles
    /// (the ablation as one case of a comparison).
    var comparisonLabel: String { setup.comparison?.label ?? "without shuffle (ablation)" }

    /// Runs A to the end and builds B and the errors when compare mode first needs them.
    /// Returns an error message when B cannot be made (compare mode must then turn off).
    func synchronizeComparison(deadline: UInt64?) -> String? {
        guard comparison == nil else { return nil }
        normal.runToEnd(deadline: deadline)
        guard normal.executor.isFinished else { return nil }
        if let source = setup.comparison {
            do {
                comparison = ComparisonData(label: source.label, run: normal, outputs: try source.outputs())
            } catch {
                return "compare unavailable: \(error)"
            }
            return nil
        }
        if ablated == nil {
            do {
                let graph = try setup.makeGraph(.disabled)
                guard graph.nodes.map(\.name) == normal.graph.nodes.map(\.name) else {
                    return "compare unavailable: the no-shuffle network has different steps"
                }
                ablated = try NetworkRun(graph: graph, groups: setup.groups, input: setup.input, threads: setup.threads, isAblation: true)
            } catch {
                return "compare unavailable: \(error)"
            }
        }
        guard let ablated else { return nil }
        ablated.runToEnd(deadline: deadline)
        guard ablated.executor.isFinished else { return nil }
        var outputs: [String: Tensor] = [:]
        for (index, node) in ablated.graph.nodes.enumerated() { outputs[node.name] = ablated.output(index) }
        comparison = ComparisonData(label: comparisonLabel, run: normal, outputs: outputs)
        return nil
    }
}
