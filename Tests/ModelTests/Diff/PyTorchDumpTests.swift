import Foundation
import ShuffleEngine
import Testing

@testable import ShuffleModel

/// Dumps written by scripts/dump_pytorch_steps.py (PyTorch float32) meet the engine's run of the
/// same checkpoint at every module output, with max_rel under 1e-4.
@Suite struct PyTorchDumpTests {
    @Test(arguments: [
        ("g3_reduced", 19), ("v2/tv_f32", 20), ("v2/authors_f32", 20),
    ])
    func dumpMatchesStepForStep(name: String, modules: Int) throws {
        let run = DiffFixtures.run(name)
        let dump = DiffFixtures.folder.appendingPathComponent("pytorch_" + URL(fileURLWithPath: name).lastPathComponent)
        let trace = try StepDumpReader.read(directory: dump)
        #expect(trace.steps.count == modules)
        let comparison = RunComparison(a: try run.trace(), b: trace)
        #expect(comparison.steps.count == modules)
        #expect(comparison.steps.allSatisfy { $0.source == $0.otherName })
        #expect(comparison.unmatched.allSatisfy { $0.side == "a" && $0.source == nil })
        for step in comparison.steps { #expect(step.metrics.maxRel < 1e-4, "\(step.name) ↔ \(step.otherName)") }
        #expect(comparison.firstDivergent == nil && comparison.top1Agrees)
    }

    /// A dump of a run with the other shuffle convention diverges at the first shuffle's module.
    @Test func otherConventionDivergesAtTheFirstUnit() throws {
        let dump = DiffFixtures.folder.appendingPathComponent("pytorch_g3_reduced")
        let comparison = RunComparison(a: try DiffFixtures.run("g3_reduced", shuffle: .paper).trace(), b: try StepDumpReader.read(directory: dump))
        #expect(comparison.firstDivergent?.source == "features.0")
    }

    @Test func malformedDumpsAreReportedWithTheFile() throws {
        let scratch = try ModelScratchDirectory()
        #expect(throws: DiffError.missingIndex(directory: scratch.url.path)) { try StepDumpReader.read(directory: scratch.url) }
        _ = try scratch.file("index.json", Data("{\"steps\": 3}".utf8))
        #expect(throws: DiffError.self) { try StepDumpReader.read(directory: scratch.url) }
        _ = try scratch.file("index.json", Data("{\"steps\": [{\"name\": \"a\", \"file\": \"../x.npy\"}]}".utf8))
        #expect(throws: DiffError.self) { try StepDumpReader.read(directory: scratch.url) }
    }
}
