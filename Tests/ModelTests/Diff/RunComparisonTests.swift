import Foundation
import ShuffleEngine
import Testing

@testable import ShuffleModel

/// `RunComparison` on real networks: identical runs, one perturbed unit, matching rules.
@Suite struct RunComparisonTests {
    @Test(arguments: ["g3_reduced", "v2/tv_f32", "v2/authors_f32"])
    func identicalRunsHaveZeroErrorEverywhere(name: String) throws {
        let side = DiffFixtures.run(name)
        let comparison = RunComparison(a: try side.trace(), b: try side.trace())
        #expect(comparison.unmatched.isEmpty)
        #expect(comparison.steps.count == (try side.load().network.graph.nodes.count))
        for step in comparison.steps {
            #expect(step.metrics.maxAbs == 0 && step.metrics.maxRel == 0, "\(step.name)")
            #expect(step.metrics.sqnrDecibels == .infinity && step.metrics.cosine > 0.999_999, "\(step.name)")
            #expect(step.bands.allSatisfy { $0.metrics.maxAbs == 0 }, "\(step.name)")
        }
        #expect(comparison.firstDivergent == nil)
        #expect(comparison.top1Agrees)
        #expect(comparison.json().contains("\"first_divergent\":null,\"top1_agrees\":true"))
    }

    /// One pointwise convolution of `features.5` (stage 3, unit 2) scaled by 1.01: every step
    /// before it matches exactly and the first divergent step is that unit's pw1.
    @Test func perturbedUnitIsFirstDetectedThere() throws {
        let scratch = try ModelScratchDirectory()
        let original = DiffFixtures.run("g3_reduced")
        let checkpoint = try CheckpointTensors.open(original.path)
        let key = "features.5.branch_main_1.0.weight"
        var tensors: [String: ParameterTensor] = [:]
        for name in checkpoint.shapes.keys { tensors[name] = try checkpoint.tensor(name) }
        let weight = try checkpoint.tensor(key)
        tensors[key] = ParameterTensor(shape: weight.shape, values: weight.values.map { $0 * 1.01 })
        let perturbedURL = scratch.url.appendingPathComponent("perturbed.safetensors")
        let keys = checkpoint.shapes.keys.filter { !$0.hasSuffix(".num_batches_tracked") }.sorted()
        try CheckpointTensors(origin: "perturbed", tensors: tensors).write(to: perturbedURL, keys: keys)
        var perturbed = original
        perturbed.path = perturbedURL

        let comparison = RunComparison(a: try original.trace(), b: try perturbed.trace())
        let index = try #require(comparison.firstDivergentIndex)
        #expect(comparison.steps[index].name == "stage3.unit2.pw1")
        #expect(comparison.steps[..<index].allSatisfy { $0.metrics.maxAbs == 0 })
        #expect(comparison.steps[index].metrics.maxRel > 1e-3)
        // The perturbation reaches every later step.
        #expect(comparison.steps[(index + 1)...].filter { $0.name.hasSuffix("combine") }.allSatisfy { $0.metrics.maxAbs > 0 })
    }

    /// Steps that share a name are matched by name; with different names, by module; different
    /// element counts and leftovers are listed as unmatched.
    @Test func matchesByNameThenModuleAndListsTheRest() {
        func record(_ name: String, _ source: String?, _ values: [Float]) -> StepRecord {
            StepRecord(name: name, source: source, dims: [1, values.count, 1, 1], values: values)
        }
        let a = RunTrace(label: "a", steps: [
            record("x.conv", "first_conv", [1, 2]), record("x.inner", nil, [3]), record("x.unit", "features.0", [4, 5]),
            record("x.wide", "features.1", [1, 2, 3]), record("x.fc", "classifier", [0.5, 2]),
        ])
        let b = RunTrace(label: "b", steps: [
            record("first_conv", "first_conv", [1, 2]), record("features.0", "features.0", [4, 6]),
            record("features.1", "features.1", [1, 2]), record("extra", nil, [1]), record("x.fc", "fc", [2, 0.5]),
        ])
        let comparison = RunComparison(a: a, b: b, topK: 2)
        #expect(comparison.steps.map(\.name) == ["x.conv", "x.unit", "x.fc"])
        #expect(comparison.steps.map(\.otherName) == ["first_conv", "features.0", "x.fc"])
        #expect(comparison.firstDivergent?.name == "x.unit")
        #expect(comparison.steps[1].metrics.maxAbs == 1 && comparison.steps[1].metrics.maxRel == 1.0 / 5)
        #expect(Set(comparison.unmatched.map { "\($0.side):\($0.name)" }) == ["a:x.wide", "b:features.1", "a:x.inner", "b:extra"])
        #expect(comparison.topA.map(\.index) == [1, 0] && comparison.topB.map(\.index) == [0, 1])
        #expect(!comparison.top1Agrees)
    }

    /// Hand-computed metrics: a = [3, 4], b = [3, 5] → max_abs 1, max_rel 1/4,
    /// cosine 29 / (5·√34), SQNR 10·log10(25 / 1).
    @Test func metricsAreTheDocumentedFormulas() {
        let m = ErrorMetrics(a: [3, 4], b: [3, 5])
        #expect(m.maxAbs == 1 && m.maxRel == 0.25)
        #expect(abs(m.cosine - 29 / (5 * 34.0.squareRoot())) < 1e-15)
        #expect(abs(m.sqnrDecibels - 10 * log10(25.0)) < 1e-12)
        let zeros = ErrorMetrics(a: [0, 0], b: [0, 1])
        #expect(zeros.maxRel == .infinity && zeros.cosine == 0)
    }

    /// Per-group errors cover exactly the channels of each group, over every batch item.
    @Test func groupErrorsCoverTheirChannels() {
        // [n=2, c=4, 1×2], bands g1 = channels 0–1, g2 = 2–3; B differs in channel 3 of item 1 only.
        let a = (0..<16).map { Float($0 + 1) }
        var b = a
        b[15] += 2
        let step = StepComparison(
            a: StepRecord(name: "s", source: nil, dims: [2, 4, 1, 2], values: a, bands: .groups(2)),
            b: StepRecord(name: "s", source: nil, dims: [2, 4, 1, 2], values: b))
        #expect(step.bands.map(\.name) == ["g1", "g2"])
        #expect(step.bands[0].metrics.maxAbs == 0)
        #expect(step.bands[1].metrics.maxAbs == 2 && step.bands[1].metrics.maxRel == 2.0 / 16)
        #expect(step.worstBand?.name == "g2")
    }
}
