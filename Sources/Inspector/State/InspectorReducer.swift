/// What the reducer may look at besides the state: the network (names, shapes, groups) and the
/// size of the last frame (channel grids move up and down by rows of that layout).
struct ReducerContext {
    var network: NetworkContext
    var viewportWidth: Int = 120
    var viewportHeight: Int = 40
    /// Compare mode's relative error per step (nil: unmatched or not built yet).
    var relativeErrors: [Double?] = []
}

/// Bounds of the focus view's choices.
enum FocusLimits {
    /// Classes offered for the activation map: the top five.
    static let classChoices = 5
}

/// The inspector's state machine: one key in, the next state out. No side effects: running steps,
/// rebuilding the network for the ablation and profiling follow from the state afterwards.
enum InspectorReducer {
    static func reduce(_ state: inout InspectorState, key: Key, context: ReducerContext) -> ApplicationResponse {
        let before = state
        state.message = nil
        if state.search != nil {
            reduceSearch(&state, key: key, context: context)
        } else if state.showHelp {
            switch key {
            case .character("q"), .control("c"): return .quit
            case .character("?"), .escape: state.showHelp = false
            default: break
            }
        } else {
            if case .quit = reduceMain(&state, key: key, context: context) { return .quit }
        }
        clamp(&state, context: context)
        if case .resize = key { return .redraw }
        if case .control("l") = key { return .redraw }
        return state == before ? .ignore : .redraw
    }

    private static func reduceMain(_ state: inout InspectorState, key: Key, context: ReducerContext) -> ApplicationResponse {
        let network = context.network
        let last = network.count - 1
        switch key {
        case .character("q"), .control("c"): return .quit
        case .character("?"): state.showHelp = true
        case .character("/"): state.search = SearchState()
        case .character("n"): go(&state, to: state.current + 1, last: last)
        case .character("p"): go(&state, to: state.current - 1, last: last)
        case .character("]"), .pageDown: jump(&state, starts: network.tree.blockStarts, forward: true, last: last)
        case .character("["), .pageUp: jump(&state, starts: network.tree.blockStarts, forward: false, last: last)
        case .character("}"): jump(&state, starts: network.tree.sectionStarts, forward: true, last: last)
        case .character("{"): jump(&state, starts: network.tree.sectionStarts, forward: false, last: last)
        case .character("g"), .home: go(&state, to: 0, last: last)
        case .character("G"), .end, .character("c"): go(&state, to: last, last: last)
        case .character("s"):
            if let next = network.shuffleIndices.first(where: { $0 > state.current }) {
                go(&state, to: next, last: last)
            } else {
                state.message = "no shuffle after this step"
            }
        case .character("v"):
            let all = InspectorView.allCases
            state.view = all[((all.firstIndex(of: state.view) ?? 0) + 1) % all.count]
        case .character("1"): state.view = .heatmap
        case .character("2"): state.view = .shuffle
        case .character("3"): state.view = .profile
        case .character("4"): state.view = .reuse
        case .character("N"): state.normalization = cycled(state.normalization)
        case .character("m"): state.colormap = cycled(state.colormap)
        case .character("f"): toggleFocus(&state, network: network)
        case .character("b") where state.focus: state.focusGroupMean.toggle()
        case .character("C") where state.focus: state.showsClassMap.toggle()
        case .character(">") where state.focus && state.showsClassMap:
            state.classRank = (state.classRank + 1) % FocusLimits.classChoices
        case .character("<") where state.focus && state.showsClassMap:
            state.classRank = (state.classRank + FocusLimits.classChoices - 1) % FocusLimits.classChoices
        case .character("o"): state.profileSort = cycled(state.profileSort)
        case .character("r"):
            state.profileGeneration += 1
            state.message = "profiling again"
        case .character("a"): state.ablation.toggle()
        case .character("z"): state.expandAllUnits.toggle()
        case .character("d"):
            state.compare.toggle()
            if state.compare { state.view = .heatmap }
        case .character("e"): jumpToErrorGrowth(&state, context: context)
        case .enter, .character("+"): zoomIn(&state, network: network)
        case .escape where state.focus: state.focus = false
        case .escape, .character("-"): zoomOut(&state)
        case .tab: selectNext(&state, by: 1, network: network)
        case .backTab: selectNext(&state, by: -1, network: network)
        case .left, .character("h"): arrow(&state, dx: -1, dy: 0, context: context)
        case .right, .character("l"): arrow(&state, dx: 1, dy: 0, context: context)
        case .up, .character("k"): arrow(&state, dx: 0, dy: -1, context: context)
        case .down, .character("j"): arrow(&state, dx: 0, dy: 1, context: context)
        default: break
        }
        return .redraw
    }

    private static func reduceSearch(_ state: inout InspectorState, key: Key, context: ReducerContext) {
        guard var search = state.search else { return }
        let matchCount = matches(for: search.query, in: context.network).count
        switch key {
        case .escape: state.search = nil; return
        case .enter:
            let found = matches(for: search.query, in: context.network)
            if let target = found[safe: search.selection] {
                go(&state, to: target, last: context.network.count - 1)
                state.search = nil
            } else {
                state.message = search.query.isEmpty ? "type part of a step name" : "no step matches “\(search.query)”"
            }
            return
        case .backspace: if !search.query.isEmpty { search.query.removeLast() }; search.selection = 0
        case .tab, .down: if matchCount > 0 { search.selection = (search.selection + 1) % matchCount }
        case .backTab, .up: if matchCount > 0 { search.selection = (search.selection + matchCount - 1) % matchCount }
        case .character(let c) where !c.isNewline:
            search.query.append(c)
            search.selection = 0
        case .control("c"): state.search = nil; return
        default: break
        }
        state.search = search
    }

    /// Indices of the steps whose name, checkpoint module (`features.3`) or op type (`dwconv3x3`)
    /// contains `query`, ignoring case; none for an empty query.
    static func matches(for query: String, in network: NetworkContext) -> [Int] {
        let needle = query.lowercased()
        guard !needle.isEmpty else { return [] }
        return network.graph.nodes.indices.filter { index in
            let node = network.graph.nodes[index]
            return [node.name, node.source ?? "", node.op.kind].contains { $0.lowercased().contains(needle) }
        }
    }

    private static func go(_ state: inout InspectorState, to index: Int, last: Int) {
        state.current = max(0, min(last, index))
    }

    /// Next start after the current step, or the start of the current block / the previous one.
    private static func jump(_ state: inout InspectorState, starts: [Int], forward: Bool, last: Int) {
        if forward {
            if let next = starts.first(where: { $0 > state.current }) { go(&state, to: next, last: last) }
            else { go(&state, to: last, last: last) }
        } else {
            go(&state, to: starts.last(where: { $0 < state.current }) ?? 0, last: last)
        }
    }

    private static func cycled<T: CaseIterable & Equatable>(_ value: T) -> T {
        let all = Array(T.allCases)
        let index = all.firstIndex(of: value) ?? 0
        return all[(index + 1) % all.count]
    }

    private static func zoomIn(_ state: inout InspectorState, network: NetworkContext) {
        guard state.view == .heatmap, let node = network.node(state.current), node.outputShape.plane > 1 else { return }
        switch state.zoom {
        case .groups:
            state.zoom = .group
            let band = network.band(state.group, of: state.current)
            if !band.contains(state.channel) { state.channel = band.lowerBound }
        case .group:
            state.zoom = .channel
        case .channel: break
        }
    }

    /// `f`: the focus view of the selected channel, on layers with a spatial map.
    private static func toggleFocus(_ state: inout InspectorState, network: NetworkContext) {
        if state.focus { state.focus = false; return }
        guard let node = network.node(state.current), node.outputShape.plane > 1 else {
            state.message = "the focus view needs a layer with a spatial map"
            return
        }
        state.view = .heatmap
        state.focus = true
        if state.zoom == .groups {
            let band = network.band(state.group, of: state.current)
            if !band.contains(state.channel) { state.channel = band.lowerBound }
        }
    }

    private static func zoomOut(_ state: inout InspectorState) {
        guard let lower = HeatmapZoom(rawValue: state.zoom.rawValue - 1) else { return }
        state.zoom = lower
    }

    private static func selectNext(_ state: inout InspectorState, by delta: Int, network: NetworkContext) {
        guard let node = network.node(state.current) else { return }
        let groups = network.bandCount(state.current)
        let channels = max(1, node.outputShape.c)
        if state.view == .heatmap && (state.zoom == .channel || state.focus) && !state.focusGroupMean {
            state.channel = (state.channel + delta + channels) % channels
            state.group = network.band(containing: state.channel, of: state.current)
        } else {
            state.group = (state.group + delta + groups) % groups
            state.channel = network.band(state.group, of: state.current).lowerBound
        }
    }

    private static func arrow(_ state: inout InspectorState, dx: Int, dy: Int, context: ReducerContext) {
        let network = context.network
        guard let node = network.node(state.current) else { return }
        let shape = node.outputShape
        let spatial = shape.plane > 1
        if state.view == .heatmap && state.focus && spatial {
            state.cursorX = max(0, min(shape.w - 1, state.cursorX + dx))
            state.cursorY = max(0, min(shape.h - 1, state.cursorY + dy))
            return
        }
        switch (state.view, state.zoom, spatial) {
        case (.heatmap, .group, true):
            let band = network.band(state.group, of: state.current)
            let columns = HeatmapLayout.groupZoomColumns(
                width: context.viewportWidth, height: context.viewportHeight, shape: shape, channels: max(1, band.count))
            let offset = state.channel - band.lowerBound + dx + dy * max(1, columns)
            state.channel = band.lowerBound + max(0, min(max(1, band.count) - 1, offset))
        case (.heatmap, .channel, true):
            state.cursorX = max(0, min(shape.w - 1, state.cursorX + dx))
            state.cursorY = max(0, min(shape.h - 1, state.cursorY + dy))
        default:
            go(&state, to: state.current + (dx != 0 ? dx : dy), last: network.count - 1)
        }
    }

    /// Keeps selections inside the current layer after the step changed.
    static func clamp(_ state: inout InspectorState, context: ReducerContext) {
        let network = context.network
        guard network.count > 0, let node = network.node(max(0, min(network.count - 1, state.current))) else {
            state.current = 0
            return
        }
        state.current = max(0, min(network.count - 1, state.current))
        let groups = network.bandCount(state.current)
        let channels = max(1, node.outputShape.c)
        state.group = max(0, min(groups - 1, state.group))
        state.channel = max(0, min(channels - 1, state.channel))
        if state.zoom != .groups {
            // The selected channel must lie in the selected group.
            let band = network.band(state.group, of: state.current)
            if state.zoom == .group && !band.contains(state.channel) { state.channel = band.lowerBound }
            if state.zoom == .channel { state.group = network.band(containing: state.channel, of: state.current) }
        }
        if state.focus {
            let perGroup = max(1, channels / groups)
            state.group = min(groups - 1, state.channel / perGroup)
        }
        state.cursorX = max(0, min(node.outputShape.w - 1, state.cursorX))
        state.cursorY = max(0, min(node.outputShape.h - 1, state.cursorY))
    }
}
