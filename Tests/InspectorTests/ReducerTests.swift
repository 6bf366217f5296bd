import Testing
@testable import Inspector
import ShuffleEngine

/// Every binding of the help overlay, pressed on a bare state.
@Suite struct ReducerTests {
    let context = Fixtures.context()

    func reduce(_ state: InspectorState, _ keys: Key...) -> (InspectorState, ApplicationResponse) {
        var state = state
        var response = ApplicationResponse.ignore
        for key in keys { response = InspectorReducer.reduce(&state, key: key, context: context) }
        return (state, response)
    }

    func at(_ name: String) -> InspectorState {
        var state = InspectorState()
        state.current = Fixtures.index(name, in: context)
        return state
    }

    func name(_ state: InspectorState) -> String { context.network.graph.nodes[state.current].name }

    @Test func everyBindingIsTestedHere() {
        // The help overlay and this suite must agree; a new binding needs a new test
        // (d / e: CompareModeTests).
        #expect(KeyBindings.all.map(\.keys) == [
            "n → l", "p ← h", "j ↓ / k ↑", "] [ PgDn PgUp", "} {", "g Home / G End", "s", "c", "/", "Enter +",
            "Esc -", "Tab S-Tab", "arrows hjkl", "N", "m", "f", "b", "C < >", "v 1 2 3 4", "o", "r", "a", "d / e", "z", "?", "q Ctrl-C",
        ])
    }

    @Test(arguments: [Key.character("n"), .right, .character("l")])
    func nextStep(key: Key) {
        let (state, response) = reduce(at("stem.conv"), key)
        #expect(name(state) == "stem.maxpool")
        #expect(response == .redraw)
        let (end, endResponse) = reduce(at("head.fc"), key)
        #expect(name(end) == "head.fc")
        #expect(endResponse == .ignore)
    }

    @Test(arguments: [Key.character("p"), .left, .character("h")])
    func previousStep(key: Key) {
        #expect(name(reduce(at("stage2.unit1.dw"), key).0) == "stage2.unit1.shuffle")
        #expect(reduce(at("stem.conv"), key).0.current == 0)
    }

    @Test func listMovesWithJKAndArrows() {
        #expect(name(reduce(at("stage2.unit1.dw"), .character("j")).0) == "stage2.unit1.pw2")
        #expect(name(reduce(at("stage2.unit1.dw"), .down).0) == "stage2.unit1.pw2")
        #expect(name(reduce(at("stage2.unit1.dw"), .character("k")).0) == "stage2.unit1.shuffle")
        #expect(name(reduce(at("stage2.unit1.dw"), .up).0) == "stage2.unit1.shuffle")
    }

    @Test func unitJumps() {
        #expect(name(reduce(at("stage2.unit1.dw"), .character("]")).0) == "stage2.unit2.pw1")
        #expect(name(reduce(at("stage2.unit1.dw"), .pageDown).0) == "stage2.unit2.pw1")
        #expect(name(reduce(at("stage2.unit2.combine"), .character("]")).0) == "stage3.unit1.pw1")
        #expect(name(reduce(at("stem.maxpool"), .character("]")).0) == "stage2.unit1.pw1")
        #expect(name(reduce(at("stage3.unit2.dw"), .character("]")).0) == "head.pool")
        // Back: to the start of this unit first, then to the previous unit.
        #expect(name(reduce(at("stage2.unit2.dw"), .character("[")).0) == "stage2.unit2.pw1")
        #expect(name(reduce(at("stage2.unit2.pw1"), .pageUp).0) == "stage2.unit1.pw1")
        #expect(name(reduce(at("stage2.unit1.pw1"), .character("[")).0) == "stem.conv")
    }

    @Test func stageJumps() {
        #expect(name(reduce(at("stem.maxpool"), .character("}")).0) == "stage2.unit1.pw1")
        #expect(name(reduce(at("stage2.unit2.dw"), .character("}")).0) == "stage3.unit1.pw1")
        #expect(name(reduce(at("stage3.unit2.dw"), .character("}")).0) == "head.pool")
        #expect(name(reduce(at("stage3.unit2.dw"), .character("{")).0) == "stage3.unit1.pw1")
        #expect(name(reduce(at("stage3.unit1.pw1"), .character("{")).0) == "stage2.unit1.pw1")
    }

    @Test func firstAndLast() {
        let middle = at("stage3.unit1.dw")
        for key in [Key.character("g"), .home] { #expect(reduce(middle, key).0.current == 0) }
        for key in [Key.character("G"), .end] { #expect(name(reduce(middle, key).0) == "head.fc") }
    }

    @Test func runToNextShuffle() {
        #expect(name(reduce(at("stem.conv"), .character("s")).0) == "stage2.unit1.shuffle")
        #expect(name(reduce(at("stage2.unit1.shuffle"), .character("s")).0) == "stage2.unit2.shuffle")
        let (none, response) = reduce(at("stage3.unit2.dw"), .character("s"))
        #expect(name(none) == "stage3.unit2.dw")
        #expect(none.message == "no shuffle after this step")
        #expect(response == .redraw)
    }

    @Test func continueToTheEnd() {
        #expect(name(reduce(at("stage2.unit1.pw2"), .character("c")).0) == "head.fc")
    }

    @Test func searchTypesMatchesAndJumps() {
        var (state, _) = reduce(at("stem.conv"), .character("/"))
        #expect(state.search == SearchState())
        // Letters that are commands elsewhere are text here.
        (state, _) = reduce(state, .character("u"), .character("n"), .character("i"), .character("t"), .character("2"),
                            .character("."), .character("s"), .character("h"))
        #expect(state.search?.query == "unit2.sh")
        #expect(state.current == 0)
        #expect(InspectorReducer.matches(for: "unit2.sh", in: context.network).map { context.network.graph.nodes[$0].name }
                == ["stage2.unit2.shuffle", "stage3.unit2.shuffle"])
        let (second, _) = reduce(state, .tab)
        #expect(second.search?.selection == 1)
        let (wrapped, _) = reduce(second, .tab)
        #expect(wrapped.search?.selection == 0)
        let (jumped, _) = reduce(second, .enter)
        #expect(name(jumped) == "stage3.unit2.shuffle")
        #expect(jumped.search == nil)
        let (cancelled, _) = reduce(state, .escape)
        #expect(cancelled.search == nil && cancelled.current == 0)
        let (erased, _) = reduce(state, .backspace, .backspace, .backspace)
        #expect(erased.search?.query == "unit2")
    }

    @Test func searchIsCaseInsensitiveAndReportsNoMatch() {
        let (state, _) = reduce(at("stem.conv"), .character("/"), .character("H"), .character("E"), .character("A"), .character("D"))
        #expect(InspectorReducer.matches(for: "HEAD", in: context.network).count == 2)
        let (none, _) = reduce(at("stem.conv"), .character("/"), .character("x"), .character("y"), .enter)
        #expect(none.search != nil && none.current == 0)
        #expect(none.message == "no step matches “xy”")
        #expect(name(reduce(state, .enter).0) == "head.pool")
    }

    @Test func searchFindsCheckpointModulesAndOpTypes() {
        let names = { (query: String) in InspectorReducer.matches(for: query, in: context.network).map { context.network.graph.nodes[$0].name } }
        #expect(names("features.3") == ["stage3.unit2.combine"])
        #expect(names("dwconv") == ["stage2.unit1.dw", "stage2.unit2.dw", "stage3.unit1.dw", "stage3.unit2.dw"])
        #expect(names("classifier") == ["head.fc"])
    }

    @Test func zoomInAndOut() {
        var state = at("stage2.unit1.pw2")
        state.group = 1
        let (group, _) = reduce(state, .enter)
        #expect(group.zoom == .group)
        // The selection moves into the chosen group: 36 channels in 3 groups → first of group 2 is 12.
        #expect(group.channel == 12)
        let (channel, _) = reduce(group, .character("+"))
        #expect(channel.zoom == .channel)
        #expect(reduce(channel, .enter).0.zoom == .channel)
        #expect(reduce(channel, .escape).0.zoom == .group)
        #expect(reduce(channel, .character("-"), .character("-")).0.zoom == .groups)
        #expect(reduce(state, .escape).1 == .ignore)
        // Vectors have no map to zoom into; other views do not zoom.
        #expect(reduce(at("head.pool"), .enter).0.zoom == .groups)
        var shuffleView = state
        shuffleView.view = .shuffle
        #expect(reduce(shuffleView, .enter).0.zoom == .groups)
    }

    @Test func tabCyclesGroupsThenChannels() {
        let state = at("stage2.unit1.pw2")
        #expect(reduce(state, .tab).0.group == 1)
        #expect(reduce(state, .tab, .tab, .tab).0.group == 0)
        #expect(reduce(state, .backTab).0.group == 2)
        let (channel, _) = reduce(state, .enter, .enter, .tab)
        #expect(channel.zoom == .channel && channel.channel == 1)
        let (back, _) = reduce(channel, .backTab, .backTab)
        #expect(back.channel == 35 && back.group == 2)
        // The stem is one group.
        #expect(reduce(at("stem.conv"), .tab).0.group == 0)
    }

    @Test func arrowsMoveTheChannelOrTheCursorWhenZoomed() {
        let (group, _) = reduce(at("stage2.unit1.pw2"), .enter)
        let columns = HeatmapLayout.groupZoomColumns(width: 120, height: 40, shape: Shape(n: 1, c: 36, h: 8, w: 8), channels: 12)
        #expect(columns >= 1)
        #expect(reduce(group, .right).0.channel == 1)
        #expect(reduce(group, .character("l"), .character("l"), .character("h")).0.channel == 1)
        #expect(reduce(group, .down).0.channel == min(11, columns))
        #expect(reduce(group, .character("j"), .character("k")).0.channel == 0)
        #expect(reduce(group, .left).0.channel == 0)
        #expect(reduce(group, .right).0.current == group.current)
        let (channel, _) = reduce(group, .enter)
        let (moved, _) = reduce(channel, .right, .right, .down, .character("l"), .character("j"), .character("k"), .character("h"))
        #expect(moved.cursorX == 2 && moved.cursorY == 1)
        #expect(moved.current == group.current)
        // The cursor stops at the map's edge (8×8).
        var far = channel
        for _ in 0..<20 { far = reduce(far, .right, .down).0 }
        #expect(far.cursorX == 7 && far.cursorY == 7)
        #expect(reduce(far, .character("n")).0.cursorX == 7)
    }

    @Test func normalisationCycles() {
        let state = at("stem.conv")
        #expect(reduce(state, .character("N")).0.normalization == .group)
        #expect(reduce(state, .character("N"), .character("N")).0.normalization == .channel)
        #expect(reduce(state, .character("N"), .character("N"), .character("N")).0.normalization == .clipped)
        #expect(reduce(state, .character("N"), .character("N"), .character("N"), .character("N")).0.normalization == .layer)
    }

    @Test func colourMapCycles() {
        let state = at("stem.conv")
        #expect(reduce(state, .character("m")).0.colormap == .magma)
        #expect(reduce(state, .character("m"), .character("m")).0.colormap == .grey)
        #expect(reduce(state, .character("m"), .character("m"), .character("m")).0.colormap == .diverging)
        #expect(reduce(state, .character("m"), .character("m"), .character("m"), .character("m")).0.colormap == .viridis)
    }

    @Test func focusKeysNeedTheFocusView() {
        // b, C, < and > do nothing outside the focus view (FocusTests cover them inside).
        let state = at("stage2.unit1.pw1")
        for key in [Key.character("b"), .character("C"), .character("<"), .character(">")] {
            #expect(reduce(state, key).0 == state)
        }
        let (focused, response) = reduce(state, .character("f"))
        #expect(focused.focus && response == .redraw)
        #expect(!reduce(focused, .character("f")).0.focus)
    }

    @Test func viewsByCycleAndNumber() {
        let state = at("stem.conv")
        #expect(reduce(state, .character("v")).0.view == .shuffle)
        #expect(reduce(state, .character("v"), .character("v")).0.view == .profile)
        #expect(reduce(state, .character("v"), .character("v"), .character("v")).0.view == .reuse)
        #expect(reduce(state, .character("v"), .character("v"), .character("v"), .character("v")).0.view == .heatmap)
        #expect(reduce(state, .character("2")).0.view == .shuffle)
        #expect(reduce(state, .character("3")).0.view == .profile)
        #expect(reduce(state, .character("4")).0.view == .reuse)
        #expect(reduce(state, .character("3"), .character("1")).0.view == .heatmap)
        #expect(reduce(state, .character("4"), .character("1")).0.view == .heatmap)
    }

    @Test func profileSortAndRerun() {
        let state = at("stem.conv")
        #expect(reduce(state, .character("o")).0.profileSort == .time)
        #expect(reduce(state, .character("o"), .character("o")).0.profileSort == .multiplyAdds)
        #expect(reduce(state, .character("o"), .character("o"), .character("o")).0.profileSort == .order)
        #expect(reduce(state, .character("r")).0.profileGeneration == 1)
    }

    @Test func ablationAndFolding() {
        let state = at("stem.conv")
        #expect(reduce(state, .character("a")).0.ablation)
        #expect(!reduce(state, .character("a"), .character("a")).0.ablation)
        #expect(reduce(state, .character("z")).0.expandAllUnits)
        #expect(!reduce(state, .character("z"), .character("z")).0.expandAllUnits)
    }

    @Test func helpOpensClosesAndSwallowsKeys() {
        let (open, _) = reduce(at("stem.conv"), .character("?"))
        #expect(open.showHelp)
        #expect(!reduce(open, .character("?")).0.showHelp)
        #expect(!reduce(open, .escape).0.showHelp)
        let (still, response) = reduce(open, .character("n"))
        #expect(still.showHelp && still.current == 0 && response == .ignore)
        #expect(reduce(open, .character("q")).1 == .quit)
    }

    @Test func quit() {
        #expect(reduce(at("stem.conv"), .character("q")).1 == .quit)
        #expect(reduce(at("stem.conv"), .control("c")).1 == .quit)
    }

    @Test func unknownKeysAreIgnored() {
        let state = at("stage2.unit1.dw")
        for key in [Key.character("x"), .character("é"), .unknown(999), .function(5), .mouse(x: 3, y: 4), .control("z"), .character("0")] {
            let (after, response) = reduce(state, key)
            #expect(after == state)
            #expect(response == .ignore)
        }
        #expect(reduce(state, .resize).1 == .redraw)
    }

    @Test func changingStepKeepsSelectionsInsideTheLayer() {
        var state = at("head.fc")
        state.group = 2
        state.channel = 9
        let (stem, _) = reduce(state, .character("g"))
        #expect(stem.group == 0)
        #expect(stem.channel == 9)  // the stem has 12 channels
        var zoomed = at("stage2.unit1.pw2")
        zoomed.zoom = .channel
        zoomed.channel = 35
        zoomed.cursorX = 7
        let (next, _) = reduce(zoomed, .character("n"))  // shortcut: 12 channels, 8×8
        #expect(next.channel == 11 && next.cursorX == 7)
    }
}
