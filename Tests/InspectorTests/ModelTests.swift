import Foundation
import Testing
@testable import Inspector
import ShuffleEngine

/// Step tree, layer statistics, thumbnails and layout arithmetic.
@Suite struct ModelTests {
    @Test func treeFollowsThePlacesTheBuilderGave() {
        let places = [
            NodePlace(section: "stem", label: "conv"), NodePlace(section: "stem", label: "maxpool"),
            Fixtures.place("stage2", "unit1", "pw1"), Fixtures.place("stage2", "unit1", "dw"), Fixtures.place("stage2", "unit2", "pw1"),
            Fixtures.place("stage3", "unit1", "pw1"), NodePlace(section: "head", label: "pool"), NodePlace(section: "head", label: "fc"),
            NodePlace.unplaced("odd"),
        ]
        let tree = StepTree(places: places)
        // A node nobody placed is a section of its own, named like the node.
        #expect(tree.sections.map(\.name) == ["stem", "stage2", "stage3", "head", "odd"])
        #expect(tree.sections[1].units.map(\.name) == ["unit1", "unit2"])
        #expect(tree.sections[1].units[0].steps == 2..<4)
        #expect(tree.sections[0].units.isEmpty && tree.sections[3].units.isEmpty)
        #expect(tree.places == places)
        #expect(tree.unit(containing: 3).map { [$0.section, $0.unit] } == [1, 0])
        #expect(tree.unit(containing: 4).map { [$0.section, $0.unit] } == [1, 1])
        #expect(tree.unit(containing: 0) == nil && tree.unit(containing: 7) == nil)
        #expect(tree.section(containing: 5) == 2 && tree.section(containing: 8) == 4)
        #expect(tree.blockStarts == [0, 2, 4, 5, 6, 8])
        #expect(tree.sectionStarts == [0, 2, 5, 6, 8])
    }

    @Test func treeIgnoresNames() {
        // The synthetic network's tree comes from its places: step names play no part, so the
        // same places under other names give the same tree.
        let graph = Fixtures.network.graph(convention: .authors)
        var renamed = graph
        for index in renamed.nodes.indices { renamed.nodes[index].name = "step\(index)" }
        let tree = NetworkContext(graph: renamed, groups: 3).tree
        #expect(tree == StepTree(places: graph.nodes.map(\.place)))
        #expect(tree.sections.map(\.name) == ["stem", "stage2", "stage3", "head"])
        #expect(tree.sections[1].units.map(\.steps) == [2..<8, 8..<13])
        #expect(tree.sections[2].units.map(\.steps) == [13..<19, 19..<24])
    }

    @Test func onlyTheCurrentUnitUnfolds() {
        let tree = StepTree(places: [
            Fixtures.place("stage2", "unit1", "pw1"), Fixtures.place("stage2", "unit1", "dw"),
            Fixtures.place("stage2", "unit2", "pw1"), Fixtures.place("stage2", "unit2", "dw"),
        ])
        #expect(tree.rows(current: 3, expandAll: false) == [
            .section(0), .unit(section: 0, unit: 0, expanded: false), .unit(section: 0, unit: 1, expanded: true),
            .step(2, depth: 2), .step(3, depth: 2),
        ])
        #expect(tree.rows(current: 3, expandAll: true).count == 7)
    }

    @Test func layerBandsFollowTheBuildersBands() {
        let context = NetworkContext(graph: Fixtures.network.graph(convention: .authors), groups: 3)
        let names = context.graph.nodes.map(\.name)
        // Outside the stages, stage 2's dense first 1×1 conv and the shortcut that pools the stem:
        // one band. Stride-2 combines: the shortcut's and the branch's channels. Every other step
        // in a stage: the network's 3 groups (the shortcut of stage 3 pools a 3-group add).
        let single: Set = ["stem.conv", "stem.maxpool", "stage2.unit1.pw1", "stage2.unit1.shortcut", "head.pool", "head.fc"]
        for (index, name) in names.enumerated() {
            let expected = single.contains(name) ? 1 : name.hasSuffix("unit1.combine") ? 2 : 3
            #expect(context.layerBands[index].count == expected, "\(name)")
            #expect(context.bandCount(index) == expected, "\(name)")
            // Bands are contiguous and cover the layer.
            let channels = context.graph.nodes[index].outputShape.c
            #expect(context.layerBands[index].first?.channels.lowerBound == 0, "\(name)")
            #expect(context.layerBands[index].last?.channels.upperBound == channels, "\(name)")
            for (a, b) in zip(context.layerBands[index], context.layerBands[index].dropFirst()) {
                #expect(a.channels.upperBound == b.channels.lowerBound, "\(name)")
            }
        }
        let combine2 = context.graph.index(named: "stage2.unit1.combine")
        #expect(combine2.map { context.layerBands[$0] } == [
            ChannelBand(name: "shortcut", channels: 0..<12), ChannelBand(name: "branch", channels: 12..<48),
        ])
        let combine3 = context.graph.index(named: "stage3.unit1.combine")
        #expect(combine3.map { context.layerBands[$0] } == [
            ChannelBand(name: "shortcut", channels: 0..<48), ChannelBand(name: "branch", channels: 48..<96),
        ])
        if let combine3 {
            #expect(context.band(1, of: combine3) == 48..<96)
            #expect(context.band(containing: 47, of: combine3) == 0 && context.band(containing: 48, of: combine3) == 1)
            // A band that does not exist is the whole layer.
            #expect(context.band(5, of: combine3) == 0..<96)
        }
        let shuffle = context.graph.index(named: "stage3.unit2.shuffle")
        #expect(shuffle.map { context.layerBands[$0] } == [
            ChannelBand(name: "g1", channels: 0..<8), ChannelBand(name: "g2", channels: 8..<16), ChannelBand(name: "g3", channels: 16..<24),
        ])
        #expect(context.logitsIndex == names.count - 1)
        #expect(context.shuffleIndices.map { names[$0] } == ["stage2.unit1.shuffle", "stage2.unit2.shuffle", "stage3.unit1.shuffle", "stage3.unit2.shuffle"])
    }

    @Test func layerStatisticsByHand() {
        // Two groups of one channel each, 2×2: [0, 1, 2, -3] and [0, 0, 4, 4].
        let tensor = Tensor(shape: Shape(n: 1, c: 2, h: 2, w: 2), storage: [0, 1, 2, -3, 0, 0, 4, 4])
        let analysis = LayerAnalysis(output: tensor, bands: Fixtures.bands(.groups(2), channels: 2))
        #expect(analysis.minimum == -3 && analysis.maximum == 4 && analysis.isSigned)
        #expect(analysis.channelMean == [0, 2])
        #expect(analysis.groupStatistics[0].zeroFraction == 0.25)
        #expect(analysis.groupStatistics[1].zeroFraction == 0.5)
        #expect(analysis.groupStatistics[1].maximum == 4)
        // Signed: symmetric around zero at every scope.
        #expect(analysis.range(for: 0, normalization: .layer) == (-4, 4))
        #expect(analysis.range(for: 0, normalization: .channel) == (-3, 3))
        #expect(analysis.range(for: 1, normalization: .group) == (-4, 4))
        let relu = LayerAnalysis(output: Tensor(shape: Shape(n: 1, c: 1, h: 1, w: 2), storage: [1, 5]), bands: Fixtures.bands(.whole, channels: 1))
        #expect(!relu.isSigned)
        #expect(relu.range(for: 0, normalization: .layer) == (1, 5))
        let flat = LayerAnalysis(output: Tensor(shape: Shape(n: 1, c: 1, h: 1, w: 2), storage: [2, 2]), bands: Fixtures.bands(.whole, channels: 1))
        #expect(flat.range(for: 0, normalization: .layer) == (2, 3))
    }

    @Test func layerStatisticsOverUnequalBands() {
        // A concat-like layer of 1 + 3 channels, 1×2 each: [1, -1] | [0, 0], [2, 0], [0, 6].
        let tensor = Tensor(shape: Shape(n: 1, c: 4, h: 1, w: 2), storage: [1, -1, 0, 0, 2, 0, 0, 6])
        let bands = Fixtures.bands(.parts([BandPart(name: "shortcut", channels: 1), BandPart(name: "branch", channels: 3)]), channels: 4)
        let analysis = LayerAnalysis(output: tensor, bands: bands)
        #expect(analysis.groups == 2 && analysis.widestBand == 3)
        #expect(analysis.channels(ofBand: 0) == 0..<1 && analysis.channels(ofBand: 1) == 1..<4)
        #expect(analysis.channels(ofBand: 2).isEmpty)
        #expect((0..<4).map(analysis.group(of:)) == [0, 1, 1, 1])
        #expect(analysis.groupStatistics[0].zeroFraction == 0 && analysis.groupStatistics[0].maximum == 1)
        #expect(analysis.groupStatistics[1].zeroFraction == Float(4) / 6 && analysis.groupStatistics[1].maximum == 6)
        #expect(analysis.groupStatistics[1].mean == Float(8) / 6)
        #expect(analysis.range(for: 0, normalization: .group) == (-1, 1))
        #expect(analysis.range(for: 3, normalization: .group) == (-6, 6))
        // No bands at all: one band over every channel.
        let whole = LayerAnalysis(output: tensor, bands: [])
        #expect(whole.groups == 1 && whole.channels(ofBand: 0) == 0..<4)
    }

    @Test func thumbnailsAverageDownAndRepeatUp() {
        // One 4×4 channel 0...15, unsigned, per-layer range 0...15.
        let tensor = Tensor(shape: Shape(n: 1, c: 1, h: 4, w: 4), storage: (0..<16).map(Float.init))
        let analysis = LayerAnalysis(output: tensor, bands: Fixtures.bands(.whole, channels: 1))
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

    @Test func titleNamesTheLayersBands() throws {
        let context = NetworkContext(graph: Fixtures.network.graph(convention: .authors), groups: 3)
        func text(_ name: String) throws -> String {
            let index = try #require(context.graph.index(named: name))
            return HeatmapView.groupingText(context.graph.nodes[index], bands: context.layerBands[index])
        }
        // Stage 2's first 1×1 conv is dense (12 stem channels in): one band, nothing to say.
        // Its second is grouped (g = 3), and so is the shuffle.
        #expect(try text("stage2.unit1.pw1") == "")
        #expect(try text("stage2.unit1.pw2") == " · 3 groups")
        #expect(try text("stage2.unit1.shuffle") == " · 3 groups")
        // The depthwise conv and the residual add keep the channels of the network's 3 groups.
        #expect(try text("stage2.unit1.dw") == " · 3 groups")
        #expect(try text("stage2.unit2.combine") == " · 3 groups")
        // A stride-2 combine shows its two sources.
        #expect(try text("stage2.unit1.combine") == " · shortcut 12 + branch 36")
        #expect(try text("stage3.unit1.combine") == " · shortcut 48 + branch 48")
        #expect(try text("stem.conv") == "")
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
