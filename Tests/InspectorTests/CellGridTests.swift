import Testing
@testable import Inspector

@Suite struct CellGridTests {
    @Test func writesAreClippedToTheGrid() {
        var grid = CellGrid(width: 4, height: 2)
        grid.put("hello", x: 2, y: 1)
        grid.put("x", x: -1, y: 0)
        grid.put("y", x: 0, y: 5)
        // Text past the right edge ends in "…".
        #expect(grid.text == "    \n  h…")
    }

    @Test func emptyGridIsSafe() {
        var grid = CellGrid(width: 0, height: 0)
        grid.put("abc", x: 0, y: 0)
        grid.fill(Rect(x: 0, y: 0, width: 3, height: 3), character: "#")
        #expect(grid.text == "")
    }
}
