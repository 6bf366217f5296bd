/// The bottom line: the search prompt, a notice, or the keys that matter in this view.
struct FooterView {
    let screen: Screen

    func draw(_ grid: inout CellGrid, _ rect: Rect) {
        let state = screen.state
        if let search = state.search {
            let matches = InspectorReducer.matches(for: search.query, in: screen.network)
            var x = grid.put("/" + search.query + "▏", x: rect.x, y: rect.y, style: .bold, clip: rect)
            let status: String
            if search.query.isEmpty { status = "type part of a step name" }
            else if let target = matches[safe: search.selection] {
                status = "→ \(screen.network.graph.nodes[target].name) (\(search.selection + 1) of \(matches.count))"
            } else { status = "no match" }
            x = grid.put("  " + status, x: x, y: rect.y, clip: rect)
            grid.put("   Enter jump · Tab next · Esc cancel", x: x, y: rect.y, style: .dimmed, clip: rect)
            return
        }
        var right = ""
        if screen.session.hasPendingSteps(for: state) {
            let run = screen.run
            right = " running \(run.executor.nextIndex)/\(run.graph.nodes.count) "
        } else if let progress = screen.session.profileProgress, screen.session.isProfiling {
            right = " profiling \(progress.passes)/\(progress.total) passes "
        }
        let limit = Rect(x: rect.x, y: rect.y, width: rect.width - right.count, height: 1)
        if let message = state.message {
            grid.put(" " + message, x: rect.x, y: rect.y, style: .bold, clip: limit)
        } else {
            // Whole hints only, most useful first, as many as fit.
            var line = ""
            for hint in hints where line.count + 2 + hint.count <= limit.width - 1 {
                line += (line.isEmpty ? "" : "  ") + hint
            }
            grid.put(" " + line, x: rect.x, y: rect.y, style: .dimmed, clip: limit)
        }
        if !right.isEmpty { grid.put(right, x: rect.maxX - right.count, y: rect.y, style: .inverted, clip: rect) }
    }

    /// The keys that matter here, most useful first.
    private var hints: [String] {
        let state = screen.state
        let stepping = ["? help", "q quit", "n/p step", "]/[ unit", "}/{ stage", "s shuffle", "c end", "/ find"]
        if state.view == .heatmap && state.focus {
            return ["? help", "arrows cursor", "Tab channel", "b group mean", "C class map", "< > class", "Esc back", "n/p step", "N norm", "m map"]
        }
        switch (state.view, state.zoom) {
        case (.heatmap, .groups): return stepping + ["Enter zoom", "f focus", "Tab group", "N norm", "m map", "v view", "a ablation"]
        case (.heatmap, .group): return ["? help", "arrows channel", "Tab group", "Enter channel", "f focus", "Esc back", "n/p step", "N norm", "m map"]
        case (.heatmap, .channel): return ["? help", "arrows cursor", "Tab channel", "f focus", "Esc back", "n/p step", "N norm", "m map"]
        case (.shuffle, _): return stepping + ["v view", "a ablation"]
        case (.profile, _): return stepping + ["o sort", "r re-run", "v view"]
        case (.reuse, _): return stepping + ["v view"]
        }
    }
}
