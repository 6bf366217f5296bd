/// Columns sized from their content: each column is as wide as its widest cell (title
/// included); when the row is too wide the least important columns go first, and the one
/// flexible column (names) takes what is left, cut with "…" only below its minimum.
struct TableLayout {
    struct Column {
        var title: String
        /// Lower is more important; the flexible column is never dropped.
        var priority: Int
        var alignRight: Bool = true
        var flexible: Bool = false
        /// Smallest width of the flexible column before other columns are dropped.
        var minimumWidth: Int = 0
        var cells: [String]
    }

    /// The kept columns in their original order, each with its width.
    let columns: [(column: Column, width: Int)]

    init(_ all: [Column], width: Int, gap: Int = 1) {
        func natural(_ column: Column) -> Int { ([column.title] + column.cells).map(\.count).max() ?? 0 }
        var kept = all
        while true {
            let fixed = kept.filter { !$0.flexible }.reduce(0) { $0 + natural($1) + gap }
            let flexibleMinimum = kept.filter(\.flexible).reduce(0) { $0 + min(natural($1), $1.minimumWidth) }
            let droppable = kept.filter { !$0.flexible }
            if fixed + flexibleMinimum <= width || droppable.isEmpty { break }
            let worst = droppable.max { $0.priority < $1.priority }
            kept.removeAll { $0.title == worst?.title && $0.priority == worst?.priority }
        }
        let fixed = kept.filter { !$0.flexible }.reduce(0) { $0 + natural($1) + gap }
        let flexibleCount = max(1, kept.filter(\.flexible).count)
        let spare = max(0, width - fixed)
        columns = kept.map { column in
            column.flexible ? (column, min(natural(column), spare / flexibleCount)) : (column, natural(column))
        }
    }

    /// Total width of the kept columns with their gaps.
    func usedWidth(gap: Int = 1) -> Int { columns.reduce(0) { $0 + $1.width } + gap * max(0, columns.count - 1) }

    /// Row `row` (or the titles for nil), cells aligned and joined by `gap` spaces.
    func line(_ row: Int?, gap: Int = 1) -> String {
        columns.map { column, width in
            let text = row.map { column.cells[safe: $0] ?? "" } ?? column.title
            return column.alignRight ? Format.right(text, width) : Format.left(text, width)
        }.joined(separator: String(repeating: " ", count: gap))
    }
}
