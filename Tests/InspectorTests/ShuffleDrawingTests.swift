import Testing
@testable import Inspector
import ShuffleEngine

/// The shuffle view and the channel-origin tracking against `Reference.shuffleSource`.
@Suite struct ShuffleDrawingTests {
    /// The main view's rows of a monochrome frame.
    func mainRows(_ app: InspectorApplication) -> [String] {
        let layout = FrameLayout(width: 120, height: 40, ablation: app.state.ablation)
        return app.text().split(separator: "\n", omittingEmptySubsequences: false)
            .dropFirst(layout.main.y).prefix(layout.main.height).map { String($0.dropFirst(layout.main.x)) }
    }

    @Test(arguments: [ShuffleConvention.paper, .authors])
    func drawnPermutationMatchesTheReference(convention: ShuffleConvention) throws {
        let app = try Fixtures.application(convention: convention)
        // Stage 2's first shuffle reads a dense 1×1 conv: one band, so every channel carries
        // group 1. The others read grouped convs, whose channels carry their own group.
        for name in ["stage2.unit1.shuffle", "stage2.unit2.shuffle", "stage3.unit1.shuffle"] {
            let index = try #require(app.stepIndex(named: name))
            _ = app.renderFrame(step: index, view: .shuffle, width: 120, height: 40, colorMode: .monochrome)
            let rows = mainRows(app)
            let channels = app.session.normal.graph.nodes[index].outputShape.c
            let perGroup = channels / 3
            let inputIsDense = name == "stage2.unit1.shuffle"
            let carried = { (channel: Int) in inputIsDense ? 0 : channel / perGroup }
            let inRow = try #require(rows.first { $0.hasPrefix(" in ") }).map { $0 }
            let outRow = try #require(rows.first { $0.hasPrefix(" out") }).map { $0 }
            for j in 0..<channels {
                let source = Reference.shuffleSource(of: j, channels: channels, groups: 3, convention: convention)
                let x = ShuffleView.labelWidth + ShuffleView.position(j, count: channels, usable: 120 - 40 - ShuffleView.labelWidth)
                // Inputs show the group they carry; outputs the group of the channel they took.
                #expect(inRow[x] == Theme.groupSymbol(carried(j)), "\(name) in \(j)")
                #expect(outRow[x] == Theme.groupSymbol(carried(source)), "\(name) out \(j) ← in \(source)")
            }
            let pairs = rows.drop { !$0.hasPrefix(" out←in:") }.prefix(3).joined(separator: " ")
                .split(separator: " ").filter { $0.contains("←") && $0 != "out←in:" }
            #expect(pairs.count == channels)
            for (j, pair) in pairs.enumerated() {
                let source = Reference.shuffleSource(of: j, channels: channels, groups: 3, convention: convention)
                #expect(pair == "\(j)←\(source)")
            }
        }
    }

    @Test func conventionIsNamedWithItsFormula() throws {
        let paper = try Fixtures.application(convention: .paper)
        let index = try #require(paper.stepIndex(named: "stage2.unit1.shuffle"))
        #expect(paper.renderFrame(step: index, view: .shuffle, width: 120, height: 40, colorMode: .monochrome).text
            .contains("convention: paper (torchvision, ncnn): out j·g+i ← in i·n+j"))
        let authors = try Fixtures.application(convention: .authors)
        #expect(authors.renderFrame(step: index, view: .shuffle, width: 120, height: 40, colorMode: .monochrome).text
            .contains("authors' code (ShuffleNet-Series): out i·n+j ← in j·g+i"))
    }

    @Test func groupColoursFollowChannelsThroughAShuffle() {
        let graph = Fixtures.network.graph(convention: .paper)
        let context = NetworkContext(graph: graph, groups: 3)
        let pw1 = graph.index(named: "stage2.unit2.pw1")!, shuffle = pw1 + 1, dw = pw1 + 2, pw2 = pw1 + 3
        let channels = graph.nodes[pw1].outputShape.c  // 12
        // A grouped conv starts contiguous groups.
        #expect(context.origins[pw1] == [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
        // Paper convention, g=3, n=4: out j·3+i ← in i·4+j, so the groups interleave.
        #expect(context.origins[shuffle] == [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2])
        for j in 0..<channels {
            let source = Reference.shuffleSource(of: j, channels: channels, groups: 3, convention: .paper)
            #expect(context.origins[shuffle][j] == context.origins[pw1][source])
        }
        // Depthwise keeps each channel's colour; the next grouped conv starts new groups.
        #expect(context.origins[dw] == context.origins[shuffle])
        #expect(context.origins[pw2] == NetworkContext.bandOrigins(channels: 48, groups: 3))
        // Without the shuffle the colours stay in their bands.
        #expect(context.originsWithoutShuffle[dw] == context.origins[pw1])
        // Concat: shortcut channels keep the colours they had, the branch brings its own bands.
        let combine = graph.index(named: "stage3.unit1.combine")!
        let shortcutInput = graph.index(named: "stage2.unit2.combine")!
        #expect(Array(context.origins[combine].prefix(48)) == context.origins[shortcutInput])
    }

    @Test func mixingMatrixOfTheNextGroupedConvolution() {
        let context = NetworkContext(graph: Fixtures.network.graph(convention: .paper), groups: 3)
        let pw2 = context.graph.index(named: "stage2.unit2.pw2")!
        #expect(context.nextGroupedConvolution(after: pw2 - 2) == pw2)
        // Each output group reads 4 channels; after the paper shuffle they come from groups 1,2,3,1 / 2,3,1,2 / 3,1,2,3.
        #expect(context.mixingMatrix(ofConvolutionAt: pw2, withShuffle: true) == [[2, 1, 1], [1, 2, 1], [1, 1, 2]])
        #expect(context.mixingMatrix(ofConvolutionAt: pw2, withShuffle: false) == [[4, 0, 0], [0, 4, 0], [0, 0, 4]])
    }

    @Test func nonShuffleStepsShowOriginsAndTheNextShuffle() throws {
        let app = try Fixtures.application()
        let index = try #require(app.stepIndex(named: "stage2.unit2.pw1"))
        let text = app.renderFrame(step: index, view: .shuffle, width: 120, height: 40, colorMode: .monochrome).text
        #expect(text.contains("channel origins (12 channels)"))
        #expect(text.contains("next shuffle: stage2.unit2.shuffle (s runs to it)"))
        #expect(text.contains("1 1 1 1 2 2 2 2 3 3 3 3"))
        // Stage 2's first 1×1 conv is dense: one band, every channel carries group 1.
        let dense = try #require(app.stepIndex(named: "stage2.unit1.pw1"))
        let denseText = app.renderFrame(step: dense, view: .shuffle, width: 120, height: 40, colorMode: .monochrome).text
        #expect(denseText.contains("next shuffle: stage2.unit1.shuffle (s runs to it)"))
        #expect(denseText.contains("1 1 1 1 1 1 1 1 1 1 1 1") && !denseText.contains("1 1 1 1 2 2 2 2"))
    }
}
