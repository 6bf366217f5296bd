extension InspectorReducer {
    /// `e`: to the next step whose relative error grows by more than `ComparisonData.growthFactor`.
    static func jumpToErrorGrowth(_ state: inout InspectorState, context: ReducerContext) {
        guard state.compare else {
            state.message = "e works in compare mode (d)"
            return
        }
        guard !context.relativeErrors.isEmpty else {
            state.message = "the comparison is still running"
            return
        }
        if let next = ComparisonData.nextGrowth(after: state.current, errors: context.relativeErrors) {
            state.current = next
        } else {
            state.message = "no later step where the error grows over \(Int(ComparisonData.growthFactor))×"
        }
    }
}
