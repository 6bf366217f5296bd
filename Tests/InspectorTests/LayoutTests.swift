import Testing
@testable import Inspector
import ShuffleEngine

/// Cuts, content-sized columns and scrolling.
@Suite struct LayoutTests {
    @Test func textPastTheEdgeEndsInAnEllipsisAndIsRecorded() {
        var grid = CellGrid(width: 10, height: 2)
        grid.put("max 4.21 ms", x: 2, y: 0)
        #expect(grid.text.split(separator: "\n", omittingEmptySubsequences: false)[0] == "  max 4.2…")
        #expect(grid.cuts == [TextCut(x: 2, y: 0, kept: "max 4.2", dropped: "1 ms")])
        #expect(grid.cuts[0].splitsNumber)
        // Trailing spaces are dropped silently; words cut are not numbers cut.
        grid.put("label      ", x: 0, y: 1)
        grid.put("stage2.unit1.pw1", x: 0, y: 1)
        #expect(grid.cuts.count == 2 && !grid.cuts[1].splitsNumber)
    }

    @Test func columnsAreSizedFromContentAndTheLeastImportantGoFirst() {
        let columns = [
            TableLayout.Column(title: "step", priority: -1, alignRight: false, flexible: true, minimumWidth: 6, cells: ["stage2.pw1", "fc"]),
            TableLayout.Column(title: "median", priority: 0, cells: ["812 µs", "1.23 ms"]),
            TableLayout.Column(title: "bytes", priority: 9, cells: ["12.0 KiB", "1.20 MiB"]),
        ]
        let wide = TableLayout(columns, width: 40)
        #expect(wide.columns.map(\.width) == [10, 7, 8])
        #expect(wide.line(1) == "fc         1.23 ms 1.20 MiB")
        // 6 + 1 + 7 + 1 + 8 = 23 > 20: the bytes go, the median stays whole.
        let narrow = TableLayout(columns, width: 20)
        #expect(narrow.columns.map(\.column.title) == ["step", "median"])
        #expect(narrow.line(0) == "stage2.pw1  812 µs")
    }

    @Test func aNewSortOpensAtItsTopAndTheCurrentRowStaysInView() {
        // Graph order: the current row a third from the top.
        #expect(ProfileView.firstRow(count: 87, visible: 12, current: 40, sort: .order) == 36)
        // Sorted: the top of the sort while the current row is on the first page…
        #expect(ProfileView.firstRow(count: 87, visible: 12, current: 5, sort: .time) == 0)
        // …else just far enough to show it on the last line.
        #expect(ProfileView.firstRow(count: 87, visible: 12, current: 30, sort: .multiplyAdds) == 19)
        #expect(ProfileView.firstRow(count: 87, visible: 12, current: 86, sort: .time) == 75)
        #expect(ProfileView.firstRow(count: 5, visible: 12, current: 4, sort: .time) == 0)
    }

    @Test func profileSortedByTimeShowsItsLargestRowsAndAScrollIndicator() throws {
        let app = try Fixtures.application()
        let index = try #require(app.stepIndex(named: "stem.conv"))
        _ = app.renderFrame(step: index, view: .profile, width: 120, height: 30, colorMode: .monochrome)
        app.press(.character("o"))
        let text = app.text(width: 120, height: 30)
        let report = try #require(app.session.currentProfile)
        let slowest = ProfileView.sorted(report.steps, by: .time)[0].name
        let lines = text.split(separator: "\n").map(String.init)
        let tableHeader = try #require(lines.firstIndex { $0.contains("│ step") && $0.contains("median") })
        #expect(lines[tableHeader + 1].contains(slowest))
        #expect(text.contains("↓"))
    }

    @Test func timesAreWarmOnceTheProfileHasPassesAndColdBefore() throws {
        let app = try Fixtures.application()
        let index = try #require(app.stepIndex(named: "stage2.unit1.dw"))
        #expect(app.renderFrame(step: index, view: .heatmap, width: 120, height: 40, colorMode: .monochrome).text.contains("warm (median of 5)"))
        app.session.profileOverride = nil
        let cold = app.render(width: 120, height: 40, colorMode: .monochrome).text
        #expect(cold.contains("single cold timings") && cold.contains(" cold"))
    }

    @Test func headerNamesAColourModeThatCouldNotBeHonoured() throws {
        let app = try Fixtures.application()
        let notice = "256 colours shown, not truecolor: xterm-256color has no RGB entry (try TERM=xterm-direct)"
        app.colorModeChosen(.palette256, notice: notice)
        #expect(app.render(width: 200, height: 40, colorMode: .palette256).text.contains("! " + notice))
        let narrow = app.render(width: 90, height: 30, colorMode: .palette256)
        #expect(narrow.text.contains("! 256 colours shown │") || narrow.text.contains("! 256 colours shown \n"))
        #expect(narrow.cuts.filter(\.splitsNumber).isEmpty)
    }

    @Test func unitsAreBinary() {
        #expect(Format.bytes(512) == "512 B")
        #expect(Format.bytes(12 * 1024) == "12.0 KiB")
        #expect(Format.bytes(3 * 1024 * 1024 / 2) == "1.50 MiB")
        #expect(Format.time(999.7e-6) == "1.00 ms")
        #expect(Format.time(0.0999) == "99.9 ms")
        #expect(Format.time(0.09996) == "100 ms")
    }
}
