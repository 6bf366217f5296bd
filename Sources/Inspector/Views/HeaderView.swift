import ShuffleEngine

/// Two header lines: what runs (model, weights, input, view tabs), then where we are (step k/N,
/// pass time, shuffle convention) — or the ablation warning.
///
/// When a line does not fit, it gives up what matters least, one thing at a time, instead of
/// being cut mid-word: the model, the UNTRAINED mark, the step and its name always stay.
struct HeaderView {
    let screen: Screen

    /// A stretch of header text in one style.
    struct Run {
        var text: String
        var style: CellStyle = .plain
    }

    /// The convention with its formula; `detail` 1 gives a shorter form, 2 or more just its name.
    static func conventionText(_ convention: ShuffleConvention, detail: Int = 0) -> String {
        switch (convention, detail) {
        case (.paper, 0): return "paper (torchvision, ncnn): out j·g+i ← in i·n+j"
        case (.paper, 1): return "paper: out j·g+i ← in i·n+j"
        case (.paper, _): return "paper"
        case (.authors, 0): return "authors' code (ShuffleNet-Series): out i·n+j ← in j·g+i"
        case (.authors, 1): return "authors': out i·n+j ← in j·g+i"
        case (.authors, _): return "authors'"
        case (.disabled, 0): return "disabled: identity, no channel crosses a group"
        case (.disabled, _): return "disabled"
        }
    }

    /// The input's name without the details in parentheses ("chelsea.jpg (bundled) (...)" →
    /// "chelsea.jpg").
    static func shortInput(_ description: String) -> String {
        guard let cut = description.range(of: " (") else { return description }
        return String(description[..<cut.lowerBound])
    }

    func draw(_ grid: inout CellGrid, _ rect: Rect) {
        drawSetup(&grid, Rect(x: rect.x, y: rect.y, width: rect.width, height: 1))
        drawPosition(&grid, Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: 1))
    }

    /// Model, weights and input on the left, the view tabs on the right.
    private func drawSetup(_ grid: inout CellGrid, _ rect: Rect) {
        let setup = screen.session.setup
        let badge = screen.mono ? CellStyle(bold: true) : CellStyle(foreground: Theme.warning, bold: true)
        let tabs = InspectorView.allCases.enumerated().map { ($0.element, " \($0.offset + 1) \($0.element.title) ") }
        let tabsWidth = tabs.reduce(0) { $0 + $1.1.count }
        // Richest first. Level 1 drops the weights' description when the badge already says they
        // are untrained, 2 the input's details, 3 the tabs (the view's own title names it), 4 the input.
        let variants: [(runs: [Run], tabs: Bool)] = (0...4).map { level in
            var runs = [Run(text: " " + setup.modelDescription, style: .bold)]
            if setup.isTrained || level < 1 { runs.append(Run(text: " │ weights: " + setup.weightsDescription)) }
            if !setup.isTrained { runs.append(Run(text: level < 1 ? " ! UNTRAINED" : " │ ! UNTRAINED weights", style: badge)) }
            if level < 4 {
                let input = level < 2 ? setup.inputDescription : HeaderView.shortInput(setup.inputDescription)
                runs.append(Run(text: " │ input: " + input))
            }
            return (runs, level < 3)
        }
        let chosen = HeaderView.firstFitting(variants, width: rect.width) {
            HeaderView.width($0.runs) + ($0.tabs ? tabsWidth + 1 : 0)
        }
        HeaderView.put(chosen.runs, in: &grid, rect)
        guard chosen.tabs else { return }
        var x = rect.maxX - tabsWidth
        for (view, label) in tabs {
            x = grid.put(label, x: x, y: rect.y, style: view == screen.state.view ? .inverted : .dimmed, clip: rect)
        }
    }

    /// The ablation warning, the step, the pass time and the shuffle convention.
    private func drawPosition(_ grid: inout CellGrid, _ rect: Rect) {
        let setup = screen.session.setup
        let state = screen.state
        let count = screen.network.count
        let ran = screen.run.executor.nextIndex
        // Warm: the profile's median pass. Cold: the live steps so far, each timed once.
        let pass: (long: String, short: String)
        if let report = screen.warmProfile {
            let time = Format.time(report.passMedian)
            pass = ("pass \(time) warm (median of \(report.passes))", "pass \(time) warm")
        } else {
            let time = Format.time(screen.session.passTime(ablation: state.ablation))
            let scope = ran < count ? "\(ran)/\(count) steps" : "pass"
            pass = ("\(scope) \(time), single cold timings", "\(scope) \(time) cold")
        }
        let convention = state.ablation ? ShuffleConvention.disabled : setup.convention
        // Levels 1 and 2 shorten the convention, 3 the pass time, 4 drops the convention. The
        // colour notice always stays (cut with "…" on the narrowest screens).
        // The colour notice in full while it fits with anything at all; then only what is shown.
        let noticeForms: [String?] = screen.colorNotice.map { [$0, $0.split(separator: ",").first.map(String.init) ?? $0] } ?? [nil]
        let variants: [[Run]] = noticeForms.flatMap { notice in (0...4).map { level in
            var runs: [Run] = []
            if state.ablation {
                let style = screen.mono ? CellStyle(bold: true, reverse: true)
                    : CellStyle(foreground: Theme.black, background: Theme.warning, bold: true)
                runs.append(Run(text: " NO SHUFFLE (ablation) ", style: style))
            }
            runs.append(Run(text: " step \(state.current + 1)/\(count) ", style: .bold))
            runs.append(Run(text: screen.currentName, style: screen.mono ? .bold : .foreground(Theme.accent, bold: true)))
            runs.append(Run(text: " │ " + (level < 3 ? pass.long : pass.short)))
            if let notice {
                let style = screen.mono ? CellStyle(bold: true) : CellStyle(foreground: Theme.warning, bold: true)
                runs.append(Run(text: " │ ! " + notice, style: style))
            }
            if state.compare {
                runs.append(Run(text: " │ " + CompareView.headerText(screen.session.comparison, network: screen.network, short: level >= 2), style: .bold))
            } else if level < 4 {
                runs.append(Run(text: " │ shuffle: " + HeaderView.conventionText(convention, detail: level), style: .dimmed))
            }
            return runs
        } }
        HeaderView.put(HeaderView.firstFitting(variants, width: rect.width, measure: HeaderView.width), in: &grid, rect)
    }

    /// The first of `variants` (richest first) that fits `width` columns, else the last, which
    /// is then clipped.
    static func firstFitting<Variant>(_ variants: [Variant], width: Int, measure: (Variant) -> Int) -> Variant {
        variants.first { measure($0) <= width } ?? variants[variants.count - 1]
    }

    static func width(_ runs: [Run]) -> Int { runs.reduce(0) { $0 + $1.text.count } }

    /// Writes the runs left to right; text past the right edge is replaced by a final "…".
    static func put(_ runs: [Run], in grid: inout CellGrid, _ rect: Rect) {
        var x = rect.x
        for run in runs { x = grid.put(run.text, x: x, y: rect.y, style: run.style, clip: rect) }
        if x > rect.maxX, rect.width > 0 { grid.put("…", x: rect.maxX - 1, y: rect.y, style: grid[rect.maxX - 1, rect.y].style) }
    }
}
