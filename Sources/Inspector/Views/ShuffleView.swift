import ShuffleEngine

/// The channel shuffle: input channels coloured by the group they carry, output channels with the
/// colours they carry after the permutation, lines showing where each went, the permutation as
/// "out ← in" pairs, and the group-mixing matrix of the next grouped convolution.
struct ShuffleView {
    let screen: Screen
    /// Columns taken by the "in " / "out" row labels.
    static let labelWidth = 5

    func draw(_ grid: inout CellGrid, _ rect: Rect) {
        let index = screen.state.current
        guard let node = screen.node(index) else { return }
        var row = 0
        if case .channelShuffle(let groups, let convention) = node.op {
            let channels = node.outputShape.c
            let x = grid.line(" " + node.name, in: rect, row: 0, style: .bold)
            let full = " · channel shuffle · g=\(groups) · C=\(channels) (n=\(channels / max(1, groups)) per group)"
            let title = HeaderView.firstFitting([full, " · shuffle · g=\(groups) · C=\(channels)", " · g=\(groups) · C=\(channels)", ""],
                                                width: rect.maxX - x) { $0.count }
            grid.put(title, x: x, y: rect.y, clip: rect)
            grid.line(" convention: " + HeaderView.conventionText(convention), in: rect, row: 1, style: .dimmed)
            row = 3
            let inputOrigins = node.inputs.first.map { screen.network.inputOrigins($0, withShuffle: true) } ?? []
            let sources = (0..<channels).map {
                Reference.shuffleSource(of: $0, channels: channels, groups: groups, convention: convention)
            }
            let matrixRows = screen.network.bandCount(index) + 4
            let braidRows = max(2, min(16, rect.height - row - matrixRows - 7))
            row = drawPermutation(&grid, rect, top: row, sources: sources, inputOrigins: inputOrigins, braidRows: braidRows)
        } else {
            let x = grid.line(" " + node.name, in: rect, row: 0, style: .bold)
            grid.put(" · \(node.op.kind) · channel origins (\(node.outputShape.c) channels)", x: x, y: rect.y, clip: rect)
            grid.line(" each channel carries the colour of the group it came from; grouped convs start new groups, shuffles mix them",
                      in: rect, row: 1, style: .dimmed)
            row = 3
            let origins = screen.network.origins[safe: index] ?? []
            grid.line(" origins:", in: rect, row: row)
            row = drawStrip(&grid, rect, top: row + 1, groups: origins)
            if let next = screen.network.shuffleIndices.first(where: { $0 > index }), let shuffle = screen.node(next) {
                grid.line(" next shuffle: \(shuffle.name) (s runs to it)", in: rect, row: row + 1, style: .dimmed)
            } else {
                grid.line(" no shuffle after this step", in: rect, row: row + 1, style: .dimmed)
            }
            row += 3
        }
        drawMixing(&grid, rect, top: row)
    }

    /// x (relative to the row start) of channel `c` of `count` in `usable` columns.
    static func position(_ c: Int, count: Int, usable: Int) -> Int {
        if 2 * count <= usable { return 2 * c }
        if count <= usable { return c }
        return c * usable / max(1, count)
    }

    /// Draws in-row, braid, out-row and the pairs; returns the next free row.
    func drawPermutation(_ grid: inout CellGrid, _ rect: Rect, top: Int, sources: [Int], inputOrigins: [Int], braidRows: Int) -> Int {
        let count = sources.count
        let usable = max(1, rect.width - ShuffleView.labelWidth)
        let x0 = rect.x + ShuffleView.labelWidth
        let origin = { (c: Int) in inputOrigins[safe: c] ?? 0 }
        func put(_ cell: Cell, _ x: Int, _ y: Int) {
            if x >= rect.x, x < rect.maxX, y >= rect.y, y < rect.maxY { grid[x, y] = cell }
        }
        var row = top
        grid.line(" in", in: rect, row: row, style: .bold)
        for c in 0..<count { put(screen.groupCell(origin(c)), x0 + ShuffleView.position(c, count: count, usable: usable), rect.y + row) }
        row += 1
        // Lines from each output's source to the output, one per output column when scaled down.
        var lastColumn = -1
        for j in 0..<count {
            let to = ShuffleView.position(j, count: count, usable: usable)
            guard to != lastColumn else { continue }
            lastColumn = to
            let from = ShuffleView.position(sources[j], count: count, usable: usable)
            let slope = Double(to - from) / Double(braidRows)
            let glyph: Character = abs(slope) < 0.5 ? "│" : (slope > 0 ? "╲" : "╱")
            for r in 0..<braidRows {
                let x = Double(from) + Double(to - from) * (Double(r) + 0.5) / Double(braidRows)
                put(Cell(glyph, style: screen.groupStyle(origin(sources[j]))), x0 + Int(x.rounded()), rect.y + row + r)
            }
        }
        row += braidRows
        grid.line(" out", in: rect, row: row, style: .bold)
        lastColumn = -1
        for j in 0..<count {
            let x = ShuffleView.position(j, count: count, usable: usable)
            guard x != lastColumn else { continue }
            lastColumn = x
            put(screen.groupCell(origin(sources[j])), x0 + x, rect.y + row)
        }
        row += 1
        if count > usable {
            // A column stands for the channels that land on it; the rows above draw one of them.
            let shown = Set((0..<count).map { ShuffleView.position($0, count: count, usable: usable) }).count
            let caption = HeaderView.firstFitting([" every output channel, in order (the rows above draw \(shown) of \(count), one a column):",
                                                   " every output channel (above: \(shown) of \(count)):", " every output channel:"],
                                                  width: rect.width) { $0.count }
            grid.line(caption, in: rect, row: row, style: .dimmed)
            row = drawStrip(&grid, rect, top: row + 1, groups: sources.map(origin))
        }
        // The permutation as pairs, as many as fit in three rows.
        let pairs = sources.enumerated().map { "\($0.offset)←\($0.element)" }
        var lines: [String] = [" out←in:"]
        for pair in pairs {
            if lines[lines.count - 1].count + 1 + pair.count > rect.width - 1 {
                if lines.count == 3 { lines[2] += " …"; break }
                lines.append("        ")
            }
            lines[lines.count - 1] += " " + pair
        }
        for line in lines {
            grid.line(line, in: rect, row: row)
            row += 1
        }
        return row + 1
    }

    /// Channels as a wrapped row of group cells, one per channel; returns the next free row.
    func drawStrip(_ grid: inout CellGrid, _ rect: Rect, top: Int, groups: [Int]) -> Int {
        let usable = max(1, rect.width - ShuffleView.labelWidth)
        let perLine = groups.count * 2 <= usable ? groups.count : usable
        let spacing = groups.count * 2 <= usable ? 2 : 1
        var row = top
        for start in stride(from: 0, to: groups.count, by: max(1, perLine)) {
            guard row < rect.height else { break }
            grid.line(Format.right("\(start)", ShuffleView.labelWidth - 1), in: rect, row: row, style: .dimmed)
            for (i, group) in groups[start..<min(groups.count, start + perLine)].enumerated() {
                let x = rect.x + ShuffleView.labelWidth + i * spacing
                if x < rect.maxX { grid[x, rect.y + row] = screen.groupCell(group) }
            }
            row += 1
        }
        return row
    }

    /// The g×g matrices of the next grouped convolution, with and without the shuffle.
    func drawMixing(_ grid: inout CellGrid, _ rect: Rect, top: Int) {
        let index = screen.state.current
        let reference = screen.session.normal.context
        guard let conv = reference.nextGroupedConvolution(after: index), let node = reference.node(conv),
            let with = reference.mixingMatrix(ofConvolutionAt: conv, withShuffle: true),
            let without = reference.mixingMatrix(ofConvolutionAt: conv, withShuffle: false)
        else {
            drawSplitMixing(&grid, rect, top: top)
            return
        }
        let groups = with.count
        let perGroup = with.first?.reduce(0, +) ?? 0
        let what = " group mixing of the next grouped conv: \(node.name) (\(groups) groups × \(perGroup) inputs)"
        let caption = HeaderView.firstFitting([what + ": which input groups each output group reads", what,
                                               " group mixing of \(node.name) (\(groups) × \(perGroup))", " group mixing of \(node.name)"],
                                              width: rect.width) { $0.count }
        grid.line(caption, in: rect, row: top, style: .bold)
        let convention = screen.session.setup.convention.rawValue
        let blockWidth = max(28, 8 + 4 * (with.first?.count ?? 0) + 4)
        drawMatrix(&grid, rect, x: 1, top: top + 1, title: "with shuffle (\(convention))", matrix: with)
        drawMatrix(&grid, rect, x: 1 + blockWidth, top: top + 1, title: "without shuffle", matrix: without)
    }

    /// ShuffleNet v2: which colours each half of the next channel split receives, with and
    /// without the shuffle (without it, one half would only ever see the pass-through channels).
    func drawSplitMixing(_ grid: inout CellGrid, _ rect: Rect, top: Int) {
        let index = screen.state.current
        let reference = screen.session.normal.context
        let with = reference.splitMixing(after: index, withShuffle: true)
        let without = reference.splitMixing(after: index, withShuffle: false)
        guard !with.isEmpty, with.count == without.count else {
            let text = reference.shuffleIndices.contains(index)
                ? " no channel split reads this step (the next unit has stride 2 and reads every channel)"
                : " no grouped convolution or channel split after this step"
            grid.line(text, in: rect, row: top, style: .dimmed)
            return
        }
        let parts = reference.layerBands[safe: reference.node(index)?.inputs.first.flatMap {
            if case .node(let i) = $0 { return i } else { return nil }
        } ?? -1]?.map(\.name) ?? []
        let legend = parts.enumerated().map { "\($0.offset + 1) = \($0.element)" }.joined(separator: ", ")
        grid.line(" the next split: which colours each half receives" + (legend.isEmpty ? "" : " (\(legend))"),
                  in: rect, row: top, style: .bold)
        let convention = screen.session.setup.convention.rawValue
        let blockWidth = max(28, 8 + 4 * (with.first?.counts.count ?? 0) + 4)
        drawSplitTable(&grid, rect, x: 1, top: top + 1, title: "with shuffle (\(convention))", rows: with)
        drawSplitTable(&grid, rect, x: 1 + blockWidth, top: top + 1, title: "without shuffle", rows: without)
    }

    private func drawSplitTable(_ grid: inout CellGrid, _ rect: Rect, x: Int, top: Int, title: String, rows: [(name: String, counts: [Int])]) {
        let area = Rect(x: rect.x + x, y: rect.y, width: rect.width - x, height: rect.height)
        grid.line(title, in: area, row: top, style: CellStyle(underline: true))
        var header = "half\\in"
        for colour in 0..<(rows.first?.counts.count ?? 0) { header += Format.right("\(colour + 1)", 5) }
        grid.line(header, in: area, row: top + 1, style: .dimmed)
        for (offset, row) in rows.enumerated() {
            let y = top + 2 + offset
            guard y < area.height else { return }
            grid.line(Format.left(row.name, 7), in: area, row: y, style: .bold)
            for (colour, count) in row.counts.enumerated() {
                grid.line(Format.right(count == 0 ? "·" : "\(count)", 5), in: area, row: y, dx: 7 + 5 * colour,
                          style: count == 0 ? .dimmed : screen.groupStyle(colour, bold: true))
            }
        }
    }

    private func drawMatrix(_ grid: inout CellGrid, _ rect: Rect, x: Int, top: Int, title: String, matrix: [[Int]]) {
        let area = Rect(x: rect.x + x, y: rect.y, width: rect.width - x, height: rect.height)
        grid.line(title, in: area, row: top, style: CellStyle(underline: true))
        var header = "out\\in "
        for origin in 0..<(matrix.first?.count ?? 0) { header += Format.right("\(origin + 1)", 4) }
        grid.line(header, in: area, row: top + 1, style: .dimmed)
        for (group, counts) in matrix.enumerated() {
            let y = top + 2 + group
            guard y < area.height else { return }
            grid.line(Format.right("\(group + 1)", 6) + " ", in: area, row: y, style: screen.groupStyle(group, bold: true))
            for (origin, count) in counts.enumerated() {
                let text = Format.right(count == 0 ? "·" : "\(count)", 4)
                grid.line(text, in: area, row: y, dx: 7 + 4 * origin, style: count == 0 ? .dimmed : screen.groupStyle(origin, bold: true))
            }
        }
        let reached = matrix.map { $0.filter { $0 > 0 }.count }.min() ?? 0
        let y = top + 2 + matrix.count
        if y < area.height {
            grid.line("each out group reads \(reached)/\(matrix.first?.count ?? 0)", in: area, row: y, style: .dimmed)
        }
    }
}
