import Foundation
import Testing
@testable import Inspector
import ShuffleEngine

/// Step tree, layer statistics, thumbnails and layout arithmetic.
@Suite struct ModelTests {
    @Test func treeParsesSectionsUnitsAndSteps() {
        let tree = StepTree(names: ["stem.conv", "stem.maxpool", "stage2.unit1.pw1", "stage2.unit1.dw", "stage2.unit2.pw1",
                                    "stage3.unit1.pw1", "head.pool", "head.fc", "odd"])
        #expect(tree.sections.map(\.name) == ["stem", "stage2", "stage3", "head", "network"])
        #expect(tree.sections[1].units.map(\.name) == ["unit1", "unit2"])
        #expect(tree.sections[1].units[0].steps == 2..<4)
        #expect(tree.places[3] == StepTree.Place(section: "stage2", unit: "unit1", label: "dw"))
        #expect(tree.places[8].label == "odd")
        #expect(tree.blockStarts == [0, 2, 4, 5, 6, 8])
        #expect(tree.sectionStarts == [0, 2, 5, 6, 8])
        #expect(tree.sections[1].isStage && !tree.sections[0].isStage)
    }

    @Test func onlyTheCurrentUnitUnfolds() {
        let tree = StepTree(names: ["stage2.unit1.pw1", "stage2.unit1.dw", "stage2.unit2.pw1", "stage2.unit2.dw"])
        #expect(tree.rows(current: 3, expandAll: false) == [
            .section(0), .unit(section: 0, unit: 0, expanded: false), .unit(section: 0, unit: 1, expanded: true),
            .step(2, depth: 2), .step(3, depth: 2),
        ])
        #expect(tree.rows(current: 3, expandAll: true).count == 7)
    }

    @Test func layerGroupsAreOneOutsideStages() {
        let context = NetworkContext(graph: Fixtures.network.graph(convention: .authors), groups: 3)
        let names = context.graph.nodes.map(\.name)
        for (index, name) in names.enumerated() {
            #expect(context.layerGroups[index] == (name.hasPrefix("stage") ? 3 : 1), "\(name)")
        }
        #expect(context.logitsIndex == names.count - 1)
        #expect(context.shuffleIndices.map { names[$0] } == ["stage2.unit1.shuffle", "stage2.unit2.shuffle", "stage3.unit1.shuffle", "stage3.unit2.shuffle"])
    }

    @Test func layerStatisticsByHand() {
        // Two groups of one channel each, 2×2: [0, 1, 2, -3] and [0, 0, 4, 4].
        let tensor = Tensor(shape: Shape(n: 1, c: 2, h: 2, w: 2), storage: [0, 1, 2, -3, 0, 0, 4, 4])
        let analysis = LayerAnalysis(output: tensor, groups: 2)
        #expect(analysis.minimum == -3 && analysis.maximum == 4 && analysis.isSigned)
        #expect(analysis.channelMean == [0, 2])
        #expect(analysis.groupStatistics[0].zeroFraction == 0.25)
        #expect(analysis.groupStatistics[1].zeroFraction == 0.5)
        #expect(analysis.groupStatistics[1].maximum == 4)
        // Signed: symmetric around zero at every scope.
        #expect(analysis.range(for: 0, normalization: .layer) == (-4, 4))
        #expect(analysis.range(for: 0, normalization: .channel) == (-3, 3))
        #expect(analysis.range(for: 1, normalization: .group) == (-4, 4))
        let relu = LayerAnalysis(output: Tensor(shape: Shape(n: 1, c: 1, h: 1, w: 2), storage: [1, 5]), groups: 1)
        #expect(!relu.isSigned)
        #expect(relu.range(for: 0, normalization: .layer) == (1, 5))
        let flat = LayerAnalysis(output: Tensor(shape: Shape(n: 1, c: 1, h: 1, w: 2), storage: [2, 2]), groups: 1)
        #expect(flat.range(for: 0, normalization: .layer) == (2, 3))
    }

    @Test func thumbnailsAverageDownAndRepeatUp() {
        // One 4×4 channel 0...15, unsigned, per-layer range 0...15.
        let tensor = Tensor(shape: Shape(n: 1, c: 1, h: 4, w: 4), storage: (0..<16).map(Float.init))
        let analysis = LayerAnalysis(output: tensor, groups: 1)
        let half = Thumbnails(output: tensor, analysis: analysis, normalization: .layer, columns: 2, pixelRows: 2)
        // Top-left 2×2 block {0, 1, 4, 5} averages 2.5.
        #expect(abs(half.value(channel: 0, column: 0, row: 0) - 2.5 / 15) < 1e-6)
        #expect(abs(half.value(channel: 0, column: 1, row: 1) - 12.5 / 15) < 1e-6)
        let double = Thumbnails(output: tensor, analysis: analysis, normalization: .layer, columns: 8, pixelRows: 8)
        #expect(double.value(channel: 0, column: 7, row: 7) == 1)
        #expect(double.value(channel: 0, column: 1, row: 0) == 0)
        #expect(Thumbnails.bins(count: 3, over: 7) == [0..<2, 2..<4, 4..<7])
    }

    @Test func bandsFitTheirArea() {
        for (width, height) in [(80, 20), (160, 56), (40, 10), (20, 5)] {
            for (channels, groups, size) in [(80, 3, 28), (320, 3, 7), (8, 1, 112), (240, 8, 14)] {
                let area = Rect(x: 0, y: 0, width: width, height: height)
                let g = HeatmapLayout.bands(area: area, channelsPerBand: channels, bands: groups, mapHeight: size, mapWidth: size, labelled: false)
                #expect(g.perRow * (g.thumbnailColumns + g.gap) - g.gap <= max(1, width - 2))
                if g.visiblePerBand == channels { #expect(g.bandHeight * groups <= height) }
                #expect(g.visiblePerBand <= g.perRow * g.rowsPerBand)
            }
        }
    }

    @Test func channelScaleEnlargesSmallMapsAndShrinksLargeOnes() {
        // 7×7 in 100×40: 11 columns and 11 half-rows a pixel (77 columns, 38.5 rows); 12 would need 42 rows.
        #expect(ChannelView.scale(mapWidth: 7, mapHeight: 7, columns: 100, rows: 40) == .enlarged(11))
        // Without colour a pixel covers whole cells: 10 columns × 5 rows.
        #expect(ChannelView.scale(mapWidth: 7, mapHeight: 7, columns: 100, rows: 40, wholeCells: true) == .enlarged(10))
        // 28×28: 3 columns and 3 half-rows a pixel (84 columns, 42 rows) where whole cells allow only 2.
        #expect(ChannelView.scale(mapWidth: 28, mapHeight: 28, columns: 147, rows: 53) == .enlarged(3))
        #expect(ChannelView.scale(mapWidth: 28, mapHeight: 28, columns: 147, rows: 53, wholeCells: true) == .enlarged(2))
        #expect(ChannelView.scale(mapWidth: 56, mapHeight: 56, columns: 100, rows: 40) == .halfBlocks(factor: 1))
        #expect(ChannelView.scale(mapWidth: 112, mapHeight: 112, columns: 100, rows: 40) == .halfBlocks(factor: 2))
    }

    @Test func lowColourMapsStepThroughTheirAnsiColours() {
        func indices(signed: Bool, mode: ColorMode) -> [Int] {
            var seen: [Int] = []
            for i in 0...255 {
                let quantized = ColorQuantization.quantize(Theme.mapColor(Float(i) / 255, signed: signed, mode: mode), for: mode)
                guard case .palette(let index) = quantized else { return [] }
                if seen.last != index { seen.append(index) }
            }
            return seen
        }
        // Dark to light for unsigned values; blue, white at zero, red for signed ones. Each
        // colour is an exact ANSI colour, so it survives quantising as itself.
        #expect(indices(signed: false, mode: .ansi16) == [0, 4, 12, 6, 2, 10, 3, 11])
        #expect(indices(signed: false, mode: .ansi8) == [0, 4, 6, 2, 3])
        #expect(indices(signed: true, mode: .ansi16) == [4, 12, 14, 7, 11, 9, 1])
        #expect(indices(signed: true, mode: .ansi8) == [4, 6, 7, 3, 1])
        // Zero (t = ½) is white; the extremes are the ends.
        #expect(Theme.mapColor(0.5, signed: true, mode: .ansi16) == .rgb(229, 229, 229))
        #expect(Theme.mapColor(0, signed: true, mode: .ansi8) == .rgb(0, 0, 238))
        #expect(Theme.mapColor(1, signed: true, mode: .ansi8) == .rgb(205, 0, 0))
        // Truecolor keeps the smooth map.
        #expect(Theme.mapColor(0.3, signed: false, mode: .truecolor) == Colormap.viridis.truecolorTable[77])
    }

    @Test func titleSaysWhetherTheOpItselfIsGrouped() throws {
        let graph = Fixtures.network.graph(convention: .authors)
        func op(_ name: String) throws -> Op { try #require(graph.nodes.first { $0.name == name }).op }
        // Stage 2's first 1×1 conv is not grouped (12 stem channels in), its second is (g = 3).
        #expect(HeatmapView.groupingText(try op("stage2.unit1.pw1"), bands: 3) == " · shown in 3 groups")
        #expect(HeatmapView.groupingText(try op("stage2.unit1.pw2"), bands: 3) == " · 3 groups")
        #expect(HeatmapView.groupingText(try op("stage2.unit1.shuffle"), bands: 3) == " · 3 groups")
        // A depthwise conv has one group per channel, not the network's g.
        #expect(HeatmapView.groupingText(try op("stage2.unit1.dw"), bands: 3) == " · shown in 3 groups")
        #expect(HeatmapView.groupingText(try op("stem.conv"), bands: 1) == "")
    }

    @Test func formatting() {
        #expect(Format.time(0.000812) == "812 µs")
        #expect(Format.time(0.00123) == "1.23 ms")
        #expect(Format.time(0.0123) == "12.3 ms")
        #expect(Format.time(0.4567) == "457 ms")
        #expect(Format.count(136_500_672) == "136.5M")
        #expect(Format.value(-0.4123) == "−0.412")
        #expect(Format.fit("abcdef", 4) == "abc…")
        #expect(Format.bar(0.5, width: 4, ascii: true) == "##..")
        #expect(Format.bar(1, width: 2, ascii: false) == "██")
    }

    @Test func topFiveAndSoftmax() {
        #expect(VectorView.topIndices([0.1, 5, 3, 5, -1, 2], count: 3) == [1, 3, 2])
        let p = VectorView.softmax([0, 0, Float(log(2.0))])
        #expect(abs(p[2] - 0.5) < 1e-6)
        let (difference, cosine) = AblationPanel.compare([1, 0], [0, 1])
        #expect(difference == 1 && cosine == 0)
        #expect(abs(AblationPanel.compare([1, 2], [2, 4]).cosine - 1) < 1e-12)
    }
}
