import Foundation
import ShuffleEngine
import Testing

@testable import ShuffleModel

@Suite struct SummaryTests {
    /// The default model's summary (seeded 1.0× g=3 at 224²), built once per test.
    static func defaultSummary() throws -> ModelSummary { ModelSummary(model: try ShuffleNetModel.load()) }

    /// The ShuffleNet v2 paper's memory access cost of a whole graph, counted here from shapes
    /// alone: every input and output element once, plus the weights (not the biases).
    static func memoryAccess(_ graph: Graph) -> Int {
        graph.nodes.reduce(0) { total, node in
            let inputs = node.inputs.reduce(0) { sum, input in
                switch input {
                case .graphInput: return sum + graph.inputShape.count
                case .node(let index): return sum + graph.nodes[index].outputShape.count
                }
            }
            var weights = 0
            if case .convolution(let conv) = node.op { weights = conv.outputChannels * conv.inputChannels / conv.groups * conv.kernelSize * conv.kernelSize }
            if case .linear(let linear) = node.op { weights = linear.inputFeatures * linear.outputFeatures }
            return total + inputs + node.outputShape.count + weights
        }
    }

    @Test func jsonCarriesTheReferenceTotals() throws {
        let text = try Self.defaultSummary().json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let totals = try #require(object["totals"] as? [String: Int])
        let memoryAccess = Self.memoryAccess(try ShuffleNetModel.load().graph)
        #expect(totals == ["params": 1_864_728, "conv_macs": 136_500_672, "macs": 136_500_672 + 960 * 1000, "mem_access": memoryAccess])
        let model = try #require(object["model"] as? [String: Any])
        #expect(model["groups"] as? Int == 3)
        #expect(model["widths"] as? [Int] == [24, 240, 480, 960])
        #expect(model["shuffle"] as? String == "authors")
        #expect(model["weights"] as? String == "seeded (untrained)")
        #expect(model["trained"] as? Bool == false)
        let steps = try #require(object["steps"] as? [[String: Any]])
        #expect(steps.count == 87)
        let stem = try #require(steps.first)
        #expect(stem["name"] as? String == "stem.conv")
        #expect(stem["op"] as? String == "conv3x3")
        #expect(stem["shape"] as? [Int] == [1, 24, 112, 112])
        #expect(stem["params"] as? Int == 24 * 27 + 2 * 24)  // conv weights + BN γ, β
        #expect(stem["macs"] as? Int == 24 * 27 * 112 * 112)
        #expect(stem["mem_access"] as? Int == 3 * 224 * 224 + 24 * 112 * 112 + 24 * 27)  // input, output, weights
        #expect(stem["source"] as? String == "first_conv")
        #expect(steps[3]["source"] is NSNull)  // stage2.unit1.shuffle
    }

    @Test func csvHasOneRowPerStepAndATotal() throws {
        let lines = try Self.defaultSummary().csv().split(separator: "\n").map(String.init)
        #expect(lines.count == 1 + 87 + 1)
        #expect(lines.first == "name,op,shape,params,macs,mem_access,source")
        // Memory access of the stem conv: 3·224² in + 24·112² out + 24·27 weights = 452 232.
        #expect(lines[1] == "stem.conv,conv3x3,1x24x112x112,696,8128512,452232,first_conv")
        let memoryAccess = Self.memoryAccess(try ShuffleNetModel.load().graph)
        #expect(lines.last == "total,,,1864728,137460672,\(memoryAccess),")
    }

    @Test func tableNamesTheModelAndItsTotals() throws {
        let text = try Self.defaultSummary().table()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(
            lines.first
                == "ShuffleNet v1 1.0× g=3 [24, 240, 480, 960], 224×224, 1000 classes, authors' shuffle; seeded (untrained)"
        )
        #expect(lines.contains { $0.hasPrefix("stage4.unit4.combine") && $0.hasSuffix("features.15") })
        let total = try #require(lines.first { $0.hasPrefix("total") })
        #expect(total.contains("1,864,728") && total.contains("137,460,672"))
        #expect(lines.contains { $0.hasPrefix("convolutions only") && $0.contains("136,500,672") })
        #expect(!lines.contains { $0.hasSuffix(" ") })
    }

    @Test func thousandsSeparators() {
        #expect(ModelSummary.grouped(0) == "0")
        #expect(ModelSummary.grouped(999) == "999")
        #expect(ModelSummary.grouped(1000) == "1,000")
        #expect(ModelSummary.grouped(1_234_567) == "1,234,567")
        #expect(ModelSummary.grouped(-45_000) == "-45,000")
    }

    @Test func jsonEscapesFileNames() throws {
        let directory = try ModelScratchDirectory()
        let configuration = try ShuffleNetConfiguration(groups: 1, width: 0.25, classes: 3)
        let url = directory.url.appendingPathComponent("we\"ird\\name.safetensors")
        try ShuffleNetWeights.seeded(configuration: configuration).write(to: url)
        let summary = ModelSummary(model: try ShuffleNetModel.load(weights: url, shuffle: .disabled))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(summary.json().utf8)) as? [String: Any])
        let model = try #require(object["model"] as? [String: Any])
        #expect(model["weights"] as? String == "we\"ird\\name.safetensors: seeded (untrained)")
        #expect(model["shuffle"] as? String == "none")
    }

    @Test func shuffleOptionNames() {
        #expect(
            ShuffleConvention.optionNames.compactMap(ShuffleConvention.init(optionName:)) == [
                .paper, .authors, .disabled,
            ])
        #expect(ShuffleConvention(optionName: "Disabled") == .disabled)
        #expect(ShuffleConvention(optionName: "sideways") == nil)
        #expect(ShuffleConvention.allCases.map(\.optionName) == ["paper", "authors", "none"])
    }
}
