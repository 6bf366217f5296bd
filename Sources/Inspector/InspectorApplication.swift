import ShuffleEngine

/// The interactive inspector: steps through a forward pass and shows every layer.
///
/// All behaviour goes through `handle(_:)` → `InspectorReducer` (pure, tested key by key), after
/// which the session runs whatever the new state needs (live `Executor.step()` calls, the
/// no-shuffle pass, profiling slices). `render` draws the state into a `CellGrid` at any size.
public final class InspectorApplication: TerminalApplication {
    public private(set) var state = InspectorState()
    let session: InspectorSession
    /// Why the terminal shows fewer colours than asked for, for the header (nil: as asked).
    public private(set) var colorNotice: String?
    private var viewportWidth = 120
    private var viewportHeight = 40

    /// Builds the network with `setup.convention` and runs its first step.
    public init(setup: InspectorSetup) throws {
        session = try InspectorSession(setup: setup)
        _ = session.synchronize(with: state, budget: nil)
    }

    /// Node names in step order (`stage2.unit1.shuffle`, ...).
    public var stepNames: [String] { session.normal.graph.nodes.map(\.name) }

    /// Index of the step with this exact name, else of the first whose name contains it.
    public func stepIndex(named name: String) -> Int? {
        let names = stepNames
        return names.firstIndex(of: name) ?? names.firstIndex { $0.contains(name) }
    }

    /// Indices of the steps `name` may mean: the exact match alone, else every step whose name
    /// contains it (several: the name is ambiguous).
    public func stepCandidates(named name: String) -> [Int] {
        let names = stepNames
        if let exact = names.firstIndex(of: name) { return [exact] }
        return names.indices.filter { names[$0].contains(name) }
    }

    // MARK: TerminalApplication

    public func render(width: Int, height: Int, colorMode: ColorMode) -> CellGrid {
        viewportWidth = width
        viewportHeight = height
        return Screen(session: session, state: state, colorMode: colorMode, colorNotice: colorNotice)
            .render(width: width, height: height)
    }

    public func colorModeChosen(_ mode: ColorMode, notice: String?) { colorNotice = notice }

    public func handle(_ key: Key) -> ApplicationResponse {
        var next = state
        let response = InspectorReducer.reduce(&next, key: key, context: reducerContext(for: next))
        if response == .quit { return .quit }
        apply(next, budget: session.stepBudget)
        return response
    }

    /// Busy while a jump or the ablation's passes are still running, or while profiling.
    public var isBusy: Bool { session.hasPendingSteps(for: state) || session.isProfiling }

    /// Background work goes on right after the frame that shows its progress: a jump or the
    /// ablation's passes (the key only ran `stepBudget` of them, so its frame came quickly), and
    /// profiling, one short slice at a time so a key never waits long for its frame.
    public var tickMilliseconds: Int { isBusy ? 0 : 100 }

    /// Seconds of background work per `tick()`; short enough that keys stay live. Each tick
    /// runs at least one step, so 0 means exactly one step per tick.
    public var tickBudget: Double = 0.04

    /// Profiling slices are shorter: a slice is whole passes (at least one), and a key pressed
    /// meanwhile waits for the slice to end.
    private var profilingBudget: Double { min(tickBudget, 0.012) }

    public func tick() -> Bool {
        if session.hasPendingSteps(for: state) {
            // Stepping first: the user asked to see a step; profiling can wait.
            apply(state, budget: tickBudget)
            return true
        }
        return session.advanceProfiling(budgetSeconds: profilingBudget)
    }

    // MARK: One-shot rendering

    /// Renders one frame of `step` in `view` without a terminal (for `shufflescope render`).
    /// Runs the network up to the step; for the profile view runs the whole profile first.
    public func renderFrame(
        step: Int, view: InspectorView, zoom: HeatmapZoom = .groups, ablation: Bool = false,
        width: Int, height: Int, colorMode: ColorMode, configure: (inout InspectorState) -> Void = { _ in }
    ) -> CellGrid {
        var next = state
        next.current = step
        next.view = view
        next.zoom = zoom
        next.ablation = ablation
        next.showHelp = false
        next.search = nil
        configure(&next)
        InspectorReducer.clamp(&next, context: reducerContext(for: next))
        apply(next, budget: nil)
        if view == .profile { session.finishProfiling(state: state) }
        return render(width: width, height: height, colorMode: colorMode)
    }

    /// Brings the session in line with `next` at once (no budget), for exports.
    func synchronizeForExport(_ next: InspectorState) { apply(next, budget: nil) }

    // MARK: Private

    private func reducerContext(for state: InspectorState) -> ReducerContext {
        ReducerContext(
            network: session.run(ablation: state.ablation).context, viewportWidth: viewportWidth,
            viewportHeight: viewportHeight, relativeErrors: state.compare ? session.comparison?.relativeErrors ?? [] : [])
    }

    private func apply(_ next: InspectorState, budget: Double?) {
        state = next
        if let failure = session.synchronize(with: state, budget: budget) {
            state.ablation = false
            state.compare = false
            state.message = failure
            _ = session.synchronize(with: state, budget: budget)
        }
    }
}
