import Testing
@testable import Inspector
import ShuffleEngine

/// The application end to end: keys run the executor live, views render at every size.
@Suite struct ApplicationTests {
    @Test func startsWithTheFirstStepRun() throws {
        let app = try Fixtures.application()
        #expect(app.state.current == 0)
        #expect(app.session.normal.executor.nextIndex == 1)
        #expect(app.text().contains("step 1/26 stem.conv"))
    }

    @Test func steppingRunsLiveAndGoingBackKeepsOutputs() throws {
        let app = try Fixtures.application()
        app.press(.character("n"), .character("n"))
        #expect(app.session.normal.executor.nextIndex == 3)
        let output = app.session.normal.output(2)
        app.press(.character("p"), .character("p"))
        #expect(app.state.current == 0)
        #expect(app.session.normal.executor.nextIndex == 3)
        #expect(app.session.normal.output(2) == output)
        app.press(.character("s"))
        #expect(app.stepNames[app.state.current] == "stage2.unit1.shuffle")
        #expect(app.session.normal.executor.nextIndex == app.state.current + 1)
        app.press(.character("c"))
        #expect(app.session.normal.executor.isFinished)
    }

    @Test func outputsMatchARunOfTheSameGraph() throws {
        let app = try Fixtures.application()
        app.press(.character("c"))
        let graph = Fixtures.network.graph(convention: .authors)
        let executor = try Executor(graph: graph, input: Fixtures.network.input())
        executor.runToEnd()
        for index in graph.nodes.indices { #expect(app.session.normal.output(index) == executor.outputs[index]) }
    }

    @Test func ablationChangesOutputsAndBackRestoresThemExactly() throws {
        let app = try Fixtures.application()
        app.press(.character("s"), .character("n"))  // stage2.unit1.dw, after the first shuffle
        let withShuffle = app.session.run(ablation: false).output(app.state.current)
        let frameBefore = app.text()
        app.press(.character("a"))
        #expect(app.state.ablation)
        let without = app.session.run(ablation: true).output(app.state.current)
        #expect(without != nil && without != withShuffle)
        let ablated = app.text()
        #expect(ablated.contains("NO SHUFFLE (ablation)"))
        #expect(ablated.contains("max |Δ|"))
        // The shuffle step is the identity without the shuffle.
        let shuffle = try #require(app.stepIndex(named: "stage2.unit1.shuffle"))
        #expect(app.session.run(ablation: true).output(shuffle) == app.session.run(ablation: true).output(shuffle - 1))
        app.press(.character("a"))
        #expect(!app.state.ablation)
        #expect(app.session.run(ablation: false).output(app.state.current) == withShuffle)
        // The main view is drawn from the same outputs again (the header and list now show more run steps).
        #expect(mainView(app.text()) == mainView(frameBefore))
        let logits = try #require(app.session.normal.logits)
        app.press(.character("a"), .character("a"))
        #expect(app.session.normal.logits == logits)
    }

    /// The main view's part of a 120×40 frame.
    func mainView(_ text: String) -> [String] {
        let main = FrameLayout(width: 120, height: 40, ablation: false).main
        return text.split(separator: "\n").dropFirst(main.y).prefix(main.height).map { String($0.dropFirst(main.x)) }
    }

    @Test func ablationFailureTurnsItselfOffWithAMessage() throws {
        var setup = Fixtures.network.setup()
        let normal = setup.makeGraph
        setup.makeGraph = { convention in
            if convention == .disabled { throw InspectorError("no such network") }
            return try normal(convention)
        }
        let app = try InspectorApplication(setup: setup)
        app.press(.character("a"))
        #expect(!app.state.ablation)
        #expect(app.state.message?.contains("ablation unavailable") == true)
    }

    @Test func tinySizesNeverTrap() throws {
        let app = try Fixtures.application()
        app.press(.character("s"))
        for view in InspectorView.allCases {
            for zoom in HeatmapZoom.allCases {
                for width in 0...20 {
                    for height in 0...5 {
                        let grid = app.renderFrame(step: app.state.current, view: view, zoom: zoom, width: width, height: height, colorMode: .truecolor)
                        #expect(grid.width == width && grid.height == height)
                    }
                }
            }
        }
    }

    @Test func belowTheMinimumAsksForMoreRoom() throws {
        let app = try Fixtures.application()
        let text = app.text(width: 59, height: 16)
        #expect(text.contains("enlarge the terminal (need 60×16, have 59×16)"))
        #expect(app.text(width: 60, height: 15).contains("have 60×15"))
        #expect(!app.text(width: 60, height: 16).contains("enlarge"))
    }

    @Test func everySizeAndViewAndKeyIsSafe() throws {
        // A fixed pseudo-random walk over keys and sizes; nothing may trap.
        let app = try Fixtures.application()
        let keys: [Key] = [.character("n"), .character("p"), .enter, .escape, .tab, .backTab, .left, .right, .up, .down,
                           .character("v"), .character("N"), .character("]"), .character("{"), .character("s"), .character("z"),
                           .character("o"), .character("G"), .character("g"), .home, .end, .pageUp, .pageDown, .unknown(7), .resize,
                           .character("/"), .character("d"), .backspace, .character("?"), .character("+"), .character("-")]
        var random = SplitMix64(11)
        for _ in 0..<400 {
            let key = keys[Int(random.next() % UInt64(keys.count))]
            #expect(app.handle(key) != .quit)
            let width = Int(random.next() % 140), height = Int(random.next() % 50)
            let mode = ColorMode.allCases[Int(random.next() % 5)]
            let grid = app.render(width: width, height: height, colorMode: mode)
            #expect(grid.cells.count == width * height)
        }
    }

    @Test func zoomLevelsShowGroupThenChannel() throws {
        let app = try Fixtures.application()
        app.press(.character("s"), .character("n"), .character("n"))  // stage2.unit1.pw2, 36 channels
        let groups = app.text()
        #expect(groups.contains("group 1 · ch 0–11"))
        #expect(groups.contains("group 3 · ch 24–35"))
        app.press(.tab, .enter)
        let group = app.text()
        #expect(group.contains("group 2 · ch 12–23"))
        #expect(!group.contains("group 1 · ch 0–11"))
        #expect(group.contains("c12") && group.contains("c23"))
        app.press(.right, .enter)
        let channel = app.text()
        #expect(channel.contains("ch 13 · group 2"))
        let value = try #require(app.session.normal.output(app.state.current))[0, 13, 0, 0]
        #expect(channel.contains("x 0 y 0 · value \(Format.value(value))"))
        app.press(.right, .down)
        let moved = try #require(app.session.normal.output(app.state.current))[0, 13, 1, 1]
        #expect(app.text().contains("x 1 y 1 · value \(Format.value(moved))"))
    }

    @Test func headerShortensInWholeWordsAtEveryWidth() throws {
        let app = try Fixtures.application()
        app.press(.character("s"), .character("n"), .character("n"))  // step 6, stage2.unit1.pw2
        for width in FrameLayout.minimumWidth...160 {
            let lines = app.text(width: width, height: 30).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            let setup = lines[0], position = lines[1]
            #expect(setup.hasPrefix("ShuffleNet v1 synthetic g=3 │ "), "\(width): \(setup)")
            #expect(setup.contains("UNTRAINED"), "\(width): \(setup)")
            // Every variant ends with a whole part: the tabs, the input, or the badge.
            #expect(["4 reuse", "pattern 64×64", "! UNTRAINED weights"].contains { setup.hasSuffix($0) }, "\(width): \(setup)")
            #expect(position.hasPrefix("step 6/26 stage2.unit1.pw2 │ pass "), "\(width): \(position)")
            #expect(["authors'", "j·g+i", "warm (median of 5)", "warm"].contains { position.hasSuffix($0) }, "\(width): \(position)")
        }
        // Wide enough, nothing is left out.
        let wide = app.text(width: 160, height: 30)
        #expect(wide.contains("│ weights: seeded (untrained) ! UNTRAINED │ input: pattern 64×64"))
        #expect(wide.contains("shuffle: authors' code (ShuffleNet-Series): out i·n+j ← in j·g+i"))
    }

    @Test func channelViewEnlargesByHalfRows() throws {
        let app = try Fixtures.application()
        app.press(.character("s"), .character("n"), .character("n"), .enter, .enter)  // stage2.unit1.pw2, ch 0, 8×8
        let grid = app.render(width: 120, height: 36, colorMode: .truecolor)
        // The list takes 39 columns and the separator 1; under the header (2 rows), the view's
        // title and legend (2) and the frame's top edge the map starts at column 41, row 5, in
        // 78×28 cells: 7 columns and 7 half-rows a pixel (8 × 7 = 56 half-rows = 28 rows).
        let (x0, y0) = (41, 5)
        #expect(ChannelView.scale(mapWidth: 8, mapHeight: 8, columns: 78, rows: 28) == .enlarged(7))
        // Pixel (1, 1) spans columns 7...13 and half-rows 7...13, i.e. the lower half of row 3,
        // rows 4...6 whole.
        let pixel = grid[x0 + 7, y0 + 4]
        for x in (x0 + 7)...(x0 + 13) {
            for y in (y0 + 4)...(y0 + 6) { #expect(grid[x, y] == pixel) }
        }
        #expect(pixel.style.foreground == pixel.style.background)
        // Row 3 holds half-row 6 (pixel row 0) above half-row 7 (pixel row 1).
        let shared = grid[x0 + 7, y0 + 3]
        #expect(shared.style.foreground == grid[x0 + 7, y0 + 2].style.foreground)
        #expect(shared.style.background == pixel.style.background)
        // The cursor brackets pixel (0, 0) on its middle half-row 3, in row 1.
        #expect(grid[x0, y0 + 1].character == "[" && grid[x0 + 6, y0 + 1].character == "]")
        #expect(grid[x0 + 56, y0 + 27].character == " ", "nothing right of the map")
    }

    @Test func searchShowsLiveMatchesInTheFooter() throws {
        let app = try Fixtures.application()
        app.press(.character("/"), .character("u"), .character("n"), .character("i"), .character("t"), .character("2"),
                  .character("."), .character("s"))
        let text = app.text()
        #expect(text.contains("/unit2.s▏"))
        #expect(text.contains("→ stage2.unit2.shuffle (1 of 2)"))
        app.press(.enter)
        #expect(app.stepNames[app.state.current] == "stage2.unit2.shuffle")
        #expect(app.session.normal.executor.nextIndex == app.state.current + 1)
    }

    @Test func helpListsEveryBinding() throws {
        let app = try Fixtures.application()
        app.press(.character("?"))
        let text = app.text()
        for binding in KeyBindings.all { #expect(text.contains(binding.action), "\(binding.keys)") }
        app.press(.escape)
        #expect(!app.text().contains(KeyBindings.all[0].action))
    }

    @Test func quitKeyQuits() throws {
        let app = try Fixtures.application()
        #expect(app.handle(.character("q")) == .quit)
    }

    @Test func profilingRunsInSlicesThroughTick() throws {
        let app = try InspectorApplication(setup: Fixtures.network.setup(profilePasses: 2))
        app.tickBudget = 0  // one pass per tick, however fast the kernels are
        #expect(!app.isBusy)
        app.press(.character("3"))
        #expect(app.isBusy)
        // Profiling goes on at once in short slices; keys are read between them.
        #expect(app.tickMilliseconds == 0)
        var ticks = 0
        while app.isBusy && ticks < 10_000 {
            #expect(app.tick())
            ticks += 1
        }
        #expect(!app.isBusy)
        #expect(ticks > 1)
        let report = try #require(app.session.currentProfile)
        #expect(report.passes == 2)
        #expect(app.text().contains("2 passes · pass median"))
        app.press(.character("r"))
        #expect(app.isBusy)
    }

    @Test func renderFrameShowsTheAskedStepAndView() throws {
        let app = try Fixtures.application()
        let index = try #require(app.stepIndex(named: "stage3.unit1.shuffle"))
        let grid = app.renderFrame(step: index, view: .shuffle, width: 120, height: 40, colorMode: .monochrome)
        #expect(grid.text.contains("stage3.unit1.shuffle · channel shuffle · g=3 · C=24"))
        #expect(app.stepIndex(named: "unit1.shuffle") == app.stepIndex(named: "stage2.unit1.shuffle"))
    }
}

/// Degenerate networks must render, not trap.
@Suite struct DegenerateNetworkTests {
    func setup(_ graph: Graph) -> InspectorSetup {
        InspectorSetup(modelDescription: "m", weightsDescription: "w", isTrained: true, inputDescription: "i", groups: 3,
                       convention: .paper, input: Tensor(zeros: graph.inputShape), makeGraph: { _ in graph })
    }

    /// A graph with no nodes cannot be inspected; it is refused with an error, not a trap.
    @Test func emptyGraphIsRefused() throws {
        #expect(throws: (any Error).self) {
            try InspectorApplication(setup: setup(Graph(inputShape: Shape(n: 1, c: 3, h: 4, w: 4), nodes: [])))
        }
    }

    @Test func nonFiniteOutputsDraw() throws {
        let nan = Float.nan
        let conv = Convolution(inputChannels: 3, outputChannels: 3, kernelSize: 1, stride: 1, padding: 0, groups: 3, relu: false,
                               weight: [nan, .infinity, 1], bias: [0, 0, -.infinity])
        let shape = Shape(n: 1, c: 3, h: 4, w: 4)
        let graph = Graph(inputShape: shape, nodes: [
            Node(name: "stage2.unit1.pw1", op: .convolution(conv), inputs: [.graphInput], outputShape: shape,
                 place: Fixtures.place("stage2", "unit1", "pw1", bands: .groups(3))),
            Node(name: "stage2.unit1.shuffle", op: .channelShuffle(groups: 3, convention: .paper), inputs: [.node(0)], outputShape: shape,
                 place: Fixtures.place("stage2", "unit1", "shuffle", bands: .groups(3))),
            Node(name: "head.pool", op: .globalAveragePool, inputs: [.node(1)], outputShape: Shape(n: 1, c: 3, h: 1, w: 1),
                 place: NodePlace(section: "head", label: "pool", role: .pool)),
            Node(name: "head.fc", op: .linear(Linear(inputFeatures: 3, outputFeatures: 2, weight: [1, 1, 1, nan, 0, 0], bias: [0, 0])),
                 inputs: [.node(2)], outputShape: Shape(n: 1, c: 2, h: 1, w: 1), place: NodePlace(section: "head", label: "fc", role: .classifier)),
        ])
        var values = setup(graph)
        values.input = Tensor(shape: shape, storage: (0..<48).map { Float($0) - 20 })
        let app = try InspectorApplication(setup: values)
        for step in 0..<4 {
            for view in InspectorView.allCases {
                for zoom in HeatmapZoom.allCases {
                    for mode in ColorMode.allCases {
                        let grid = app.renderFrame(step: step, view: view, zoom: zoom, width: 100, height: 30, colorMode: mode)
                        #expect(grid.cells.count == 3000)
                    }
                }
            }
        }
        #expect(app.session.normal.output(0)?.storage.contains { $0.isNaN } == true)
    }
}

/// Long jumps run in slices so keys stay live.
@Suite struct SlicedSteppingTests {
    @Test func aJumpWithAZeroBudgetFinishesInTicks() throws {
        let app = try InspectorApplication(setup: Fixtures.network.setup())
        app.session.stepBudget = 0
        app.press(.character("c"))
        // One step per slice at a zero budget.
        #expect(app.session.normal.executor.nextIndex == 2)
        #expect(app.isBusy)
        // The user waits for this work: the backend ticks again as soon as the frame is drawn.
        #expect(app.tickMilliseconds == 0)
        let text = app.render(width: 120, height: 40, colorMode: .monochrome).text
        #expect(text.contains("running up to this step: 2 of 26 steps done"))
        #expect(text.contains(" running 2/26 "))
        // Keys still work meanwhile.
        app.press(.character("2"))
        #expect(app.state.view == .shuffle)
        var ticks = 0
        while app.isBusy && ticks < 100 {
            #expect(app.tick())
            ticks += 1
        }
        #expect(app.session.normal.executor.isFinished)
        #expect(!app.isBusy)
        // Going back needs no work.
        app.press(.character("g"))
        #expect(!app.isBusy)
    }

    @Test func ablationPassesAlsoRunInSlices() throws {
        let app = try InspectorApplication(setup: Fixtures.network.setup())
        app.session.stepBudget = 0
        app.press(.character("a"))
        #expect(app.isBusy)
        #expect(app.render(width: 120, height: 40, colorMode: .monochrome).text.contains("running both passes"))
        while app.isBusy { #expect(app.tick()) }
        #expect(app.session.ablated?.executor.isFinished == true)
        #expect(app.render(width: 120, height: 40, colorMode: .monochrome).text.contains("max |Δ|"))
    }
}
