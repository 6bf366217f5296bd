import ShuffleEngine
import Testing

@testable import ShuffleModel

/// Counts the paper and the authors' released models pin down; expected values come from
/// the reference facts, not from this code.
@Suite struct ConfigurationTests {
    struct Released: Sendable, CustomTestStringConvertible {
        var groups: Int
        var width: Double
        var widths: [Int]
        var convMultiplyAdds: Int
        var parameters: Int
        var testDescription: String { "g=\(groups) \(width)×" }
    }

    static let released: [Released] = [
        Released(
            groups: 3, width: 0.5, widths: [12, 120, 240, 480], convMultiplyAdds: 37_109_856, parameters: 717_324),
        Released(
            groups: 3, width: 1.0, widths: [24, 240, 480, 960], convMultiplyAdds: 136_500_672, parameters: 1_864_728),
        Released(
            groups: 3, width: 1.5, widths: [24, 360, 720, 1440], convMultiplyAdds: 291_003_552, parameters: 3_441_168),
        Released(
            groups: 3, width: 2.0, widths: [48, 480, 960, 1920], convMultiplyAdds: 522_125_184, parameters: 5_449_776),
        Released(
            groups: 8, width: 0.5, widths: [16, 192, 384, 768], convMultiplyAdds: 39_701_760, parameters: 1_010_448),
        Released(
            groups: 8, width: 1.0, widths: [24, 384, 768, 1536], convMultiplyAdds: 136_829_952, parameters: 2_433_768),
        Released(
            groups: 8, width: 1.5, widths: [24, 576, 1152, 2304], convMultiplyAdds: 287_884_800, parameters: 4_268_952),
        Released(
            groups: 8, width: 2.0, widths: [48, 768, 1536, 3072], convMultiplyAdds: 518_870_016, parameters: 6_521_232),
    ]

    @Test(arguments: released)
    func releasedConfigurationsMatchTheAuthors(_ model: Released) throws {
        let configuration = try ShuffleNetConfiguration(groups: model.groups, width: model.width)
        #expect(configuration.widths == model.widths)
        #expect(configuration.isReleasedByAuthors)
        #expect(configuration.convolutionMultiplyAdds == model.convMultiplyAdds)
        #expect(configuration.parameterCount == model.parameters)
    }

    /// Table 1: complexity in MFLOPs (= conv multiply-adds) at 1× and 224².
    @Test(arguments: [(1, 144, 143), (2, 200, 140), (3, 240, 137), (4, 272, 133), (8, 384, 137)])
    func tableOneComplexity(groups: Int, stage2: Int, megaMultiplyAdds: Int) throws {
        let configuration = try ShuffleNetConfiguration(groups: groups, width: 1.0)
        #expect(configuration.widths == [24, stage2, 2 * stage2, 4 * stage2])
        #expect(Int((Double(configuration.convolutionMultiplyAdds) / 1e6).rounded()) == megaMultiplyAdds)
    }

    /// Table 1 to two decimals, and 137.46 M with the FC for g = 3.
    @Test func tableOneToTwoDecimals() throws {
        let expected = [1: 142.50, 2: 140.04, 3: 136.50, 4: 133.25, 8: 136.83]
        for (groups, mega) in expected {
            let configuration = try ShuffleNetConfiguration(groups: groups, width: 1.0)
            #expect(abs(Double(configuration.convolutionMultiplyAdds) / 1e6 - mega) < 0.005, "g=\(groups)")
        }
        let g3 = try ShuffleNetConfiguration(groups: 3)
        #expect(abs(Double(g3.convolutionMultiplyAdds + g3.classifierMultiplyAdds) / 1e6 - 137.46) < 0.005)
    }

    /// The paper's ShuffleNet 0.5× costs 38 MFLOPs; every g should land within 5 %.
    @Test(arguments: ShuffleNetConfiguration.supportedGroups)
    func halfWidthIsNearThirtyEightMillion(groups: Int) throws {
        let configuration = try ShuffleNetConfiguration(groups: groups, width: 0.5)
        let ratio = Double(configuration.convolutionMultiplyAdds) / 38e6
        #expect(
            ratio > 0.95 && ratio < 1.05,
            "g=\(groups): \(configuration.widths) gives \(configuration.convolutionMultiplyAdds)")
    }

    @Test func roundingRuleOnHandPickedCases() throws {
        // 0.5× g=2: 100 → 104 (multiple of 8, tie 96/104 goes up); 200 and 400 stay.
        #expect(try ShuffleNetConfiguration.standardWidths(groups: 2, width: 0.5) == [12, 104, 200, 400])
        // 0.25× g=4: conv1 6 → 8 (multiple of 4, tie up); 68 → 64; 136 → 144; 272 stays.
        #expect(try ShuffleNetConfiguration.standardWidths(groups: 4, width: 0.25) == [8, 64, 144, 272])
        // 1.5× g=1: plain scaling, everything already a multiple of 4.
        #expect(try ShuffleNetConfiguration.standardWidths(groups: 1, width: 1.5) == [36, 216, 432, 864])
    }

    /// Every grouped 1×1 conv and every shuffle must split its channels evenly.
    @Test func everyConfigurationDividesEvenly() throws {
        for groups in ShuffleNetConfiguration.supportedGroups {
            for width in ShuffleNetConfiguration.supportedWidths {
                let configuration = try ShuffleNetConfiguration(groups: groups, width: width)
                let label = "g=\(groups) \(width)× \(configuration.widths)"
                #expect(configuration.units.count == 16, "\(label)")
                for unit in configuration.units {
                    #expect(unit.outputChannels % 4 == 0, "\(label) \(unit.name)")
                    #expect(unit.bottleneckChannels * 4 == unit.outputChannels, "\(label) \(unit.name)")
                    #expect(unit.bottleneckChannels % groups == 0, "\(label) \(unit.name)")
                    #expect(
                        unit.branchOutputChannels > 0 && unit.branchOutputChannels % groups == 0,
                        "\(label) \(unit.name)")
                    #expect(unit.inputChannels % unit.pointwise1Groups == 0, "\(label) \(unit.name)")
                }
                let first = try #require(configuration.units.first)
                #expect(first.pointwise1Groups == 1)
                #expect(first.branchOutputChannels == configuration.widths[1] - configuration.widths[0])
            }
        }
    }

    @Test func unitsAreNumberedWithinStages() throws {
        let units = try ShuffleNetConfiguration().units
        #expect(
            units.map(\.name).prefix(5) == [
                "stage2.unit1", "stage2.unit2", "stage2.unit3", "stage2.unit4", "stage3.unit1",
            ])
        #expect(units.last?.name == "stage4.unit4")
        #expect(units.map(\.source) == (0..<16).map { "features.\($0)" })
        #expect(units.filter { $0.stride == 2 }.map(\.feature) == [0, 4, 12])
        #expect(units.map(\.outputSize) == [28, 28, 28, 28] + Array(repeating: 14, count: 8) + [7, 7, 7, 7])
    }

    @Test func inputSizeLimits() throws {
        // 17 → 9 → 5 → 3 → 2 → 1: every stride-2 layer still sees at least 2×2.
        #expect(ShuffleNetConfiguration.minimumInputSize == 17)
        let smallest = try ShuffleNetConfiguration(inputSize: 17)
        #expect(smallest.finalSize == 1)
        #expect(throws: ConfigurationError.inputTooSmall(size: 16, minimum: 17, layer: "stage 4's first unit")) {
            try ShuffleNetConfiguration(inputSize: 16)
        }
        #expect(throws: ConfigurationError.inputTooSmall(size: 1, minimum: 17, layer: "conv1")) {
            try ShuffleNetConfiguration(inputSize: 1)
        }
        #expect(throws: ConfigurationError.inputTooLarge(size: 5000, maximum: 4096)) {
            try ShuffleNetConfiguration(inputSize: 5000)
        }
        // 256 → 128 → 64 → 32 → 16 → 8.
        #expect(try ShuffleNetConfiguration(inputSize: 256).finalSize == 8)
        // Odd sizes round up at every stride-2 layer: 225 → 113 → 57 → 29 → 15 → 8.
        #expect(try ShuffleNetConfiguration(inputSize: 225).finalSize == 8)
    }

    @Test func rejectsUnsupportedRequests() {
        #expect(throws: ConfigurationError.unsupportedGroups(5)) { try ShuffleNetConfiguration(groups: 5) }
        #expect(throws: ConfigurationError.unsupportedWidth(0.75)) { try ShuffleNetConfiguration(width: 0.75) }
        #expect(throws: ConfigurationError.invalidClassCount(0)) { try ShuffleNetConfiguration(classes: 0) }
        #expect(throws: ConfigurationError.self) {
            try ShuffleNetConfiguration(groups: 3, widths: [24, 250, 500, 1000], width: 1)  // 250 is not a multiple of 12
        }
        #expect(throws: ConfigurationError.self) {
            try ShuffleNetConfiguration(groups: 3, widths: [25, 240, 480, 960], width: 1)  // 240 − 25 is not a multiple of 3
        }
    }

    @Test func errorMessagesSayWhatIsAllowed() {
        #expect(ConfigurationError.unsupportedGroups(5).description == "groups must be one of 1, 2, 3, 4, 8, not 5")
        #expect(
            ConfigurationError.unsupportedWidth(0.75).description
                == "width must be one of 0.25×, 0.5×, 1.0×, 1.5×, 2.0×, not 0.75")
        #expect(
            ConfigurationError.inputTooSmall(size: 16, minimum: 17, layer: "stage 4's first unit").description
                == "input size 16 is too small: stage 4's first unit would receive a 1×1 map; use at least 17")
    }
}
