import ShuffleEngine

/// Two header lines: what runs (model, weights, input, view tabs), then where we are (shuffle
/// convention, step k/N, pass time) — or the ablation warning.
struct HeaderView {
    let screen: Screen

    static func conventionText(_ convention: ShuffleConvention) -> String {
        switch convention {
        case .paper: return "paper (torchvision, ncnn): out j·g+i ← in i·n+j"
        case .authors: return "authors' code (ShuffleNet-Series): out i·n+j ← in j·g+i"
        case .disabled: return "disabled: identity, no channel crosses a group"
        }
    }

    func draw(_ grid: inout CellGrid, _ rect: Rect) {
        let setup = screen.session.setup
        let state = screen.state
        var x = grid.line(" " + setup.modelDescription, in: rect, row: 0, style: .bold)
        x = grid.put(" │ weights: " + setup.weightsDescription, x: x, y: rect.y, clip: rect)
        if !setup.isTrained {
            let style = screen.mono ? CellStyle(bold: true) : CellStyle(foreground: Theme.warning, bold: true)
            x = grid.put(" ! UNTRAINED", x: x, y: rect.y, style: style, clip: rect)
        }
        x = grid.put(" │ input: " + setup.inputDescription, x: x, y: rect.y, clip: rect)

        // View tabs, right-aligned, the open one reversed.
        let tabs = InspectorView.allCases.enumerated().map { ($0.element, " \($0.offset + 1) \($0.element.title) ") }
        let tabsWidth = tabs.reduce(0) { $0 + $1.1.count }
        var tx = rect.maxX - tabsWidth
        if tx > x + 1 {
            for (view, label) in tabs {
                tx = grid.put(label, x: tx, y: rect.y, style: view == state.view ? .inverted : .dimmed, clip: rect)
            }
        }

        let count = screen.network.count
        let row = rect.y + 1
        var x1 = rect.x
        if state.ablation {
            let style = screen.mono ? CellStyle(bold: true, reverse: true)
                : CellStyle(foreground: Theme.black, background: Theme.warning, bold: true)
            x1 = grid.put(" NO SHUFFLE (ablation) ", x: x1, y: row, style: style, clip: rect)
        }
        x1 = grid.put(" step \(state.current + 1)/\(count) ", x: x1, y: row, style: .bold, clip: rect)
        x1 = grid.put(screen.currentName, x: x1, y: row, style: screen.mono ? .bold : .foreground(Theme.accent, bold: true), clip: rect)
        let passTime = screen.session.passTime(ablation: state.ablation)
        let ran = screen.run.executor.nextIndex
        let pass = ran >= count ? "pass \(Format.time(passTime))" : "pass \(Format.time(passTime)) (\(ran)/\(count) run)"
        x1 = grid.put(" │ " + pass, x: x1, y: row, clip: rect)
        let convention = state.ablation ? ShuffleConvention.disabled : setup.convention
        grid.put(" │ shuffle: " + HeaderView.conventionText(convention), x: x1, y: row, style: .dimmed, clip: rect)
    }
}

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
            grid.put(" " + hints, x: rect.x, y: rect.y, style: .dimmed, clip: limit)
        }
        if !right.isEmpty { grid.put(right, x: rect.maxX - right.count, y: rect.y, style: .inverted, clip: rect) }
    }

    private var hints: String {
        let state = screen.state
        let stepping = "? help  q quit  n/p step  ]/[ unit  }/{ stage  s shuffle  c end  / find"
        // The most useful keys first: the line is cut at the terminal's width.
        switch (state.view, state.zoom) {
        case (.heatmap, .groups): return "\(stepping)  Enter zoom  Tab group  N norm  v view  a ablation"
        case (.heatmap, .group): return "? help  arrows channel  Tab group  Enter channel  Esc back  n/p step  N norm"
        case (.heatmap, .channel): return "? help  arrows cursor  Tab channel  Esc back  n/p step  N norm"
        case (.shuffle, _): return "\(stepping)  v view  a ablation"
        case (.profile, _): return "\(stepping)  o sort  r re-run  v view"
        }
    }
}

/// `?`: every key and what it does, over the frame.
struct HelpOverlay {
    let screen: Screen

    func draw(_ grid: inout CellGrid, _ rect: Rect) {
        let bindings = KeyBindings.all
        let keyWidth = bindings.map(\.keys.count).max() ?? 0
        let lines = bindings.map { Format.left($0.keys, keyWidth) + "  " + $0.action }
        let width = min(rect.width, (lines.map(\.count).max() ?? 0) + 4)
        let height = min(rect.height, lines.count + 2)
        let box = Rect(x: rect.x + (rect.width - width) / 2, y: rect.y + (rect.height - height) / 2, width: width, height: height)
        grid.fill(box)
        grid.box(box, style: .bold, title: "keys · Esc or ? closes")
        let inner = box.inset(by: 1)
        for (row, line) in lines.enumerated() where row < inner.height {
            grid.line(" " + line, in: inner, row: row)
            grid.restyle(Rect(x: inner.x + 1, y: inner.y + row, width: keyWidth, height: 1)) { $0.bold = true }
        }
    }
}
