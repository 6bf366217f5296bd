import Foundation
import Testing

/// `shufflescope diff` run as a user runs it: the JSON the issue specifies, CSV, the one-line
/// reports, and one-line errors.
@Suite struct DiffCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ModelTests/Fixtures")
    static let weights = fixtures.appendingPathComponent("g3_reduced.safetensors").path
    static let input = fixtures.appendingPathComponent("g3_reduced.input.npy").path
    static let dump = fixtures.appendingPathComponent("diff/pytorch_g3_reduced").path

    func run(_ arguments: [String]) throws -> Subprocess.Result {
        try Subprocess.run(try ShufflescopeBinary.url().path, ["diff"] + arguments, seconds: 60)
    }

    @Test func jsonAgainstAPyTorchDumpHasTheDocumentedFields() throws {
        let result = try run([Self.weights, Self.dump, "--input", Self.input, "--format", "json"])
        #expect(result.status == 0, "\(result.errorOutput)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let steps = try #require(report["steps"] as? [[String: Any]])
        #expect(steps.count == 19)
        for step in steps {
            for key in ["name", "source", "max_abs", "max_rel", "cosine", "sqnr_db"] { #expect(step[key] != nil, "\(key)") }
            #expect((step["max_rel"] as? Double ?? 1) < 1e-4)
        }
        #expect(report["first_divergent"] is NSNull)
        #expect(report["top1_agrees"] as? Bool == true)
        let unmatched = try #require(report["unmatched"] as? [[String: Any]])
        #expect(unmatched.count == 68 && unmatched.allSatisfy { $0["side"] as? String == "a" })
    }

    /// An engine dump (`infer --dump`) meets a fresh run of the same weights by step name, with no error.
    @Test func engineDumpMatchesARunExactly() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("diff-dump-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let infer = try Subprocess.run(
            try ShufflescopeBinary.url().path, ["infer", "--weights", Self.weights, "--input", Self.input, "--dump", directory.path],
            seconds: 60)
        #expect(infer.status == 0, "\(infer.errorOutput)")
        let result = try run([Self.weights, directory.path, "--input", Self.input, "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let steps = try #require(report["steps"] as? [[String: Any]])
        #expect(steps.count == 87 && steps.allSatisfy { $0["max_abs"] as? Double == 0 && $0["sqnr_db"] is NSNull })
        #expect((report["unmatched"] as? [Any])?.isEmpty == true && report["first_divergent"] is NSNull)
    }

    @Test func otherConventionNamesTheFirstDivergentStep() throws {
        let result = try run([Self.weights, "--input", Self.input, "--b-shuffle", "paper", "--format", "json"])
        #expect(result.status == 0, "\(result.errorOutput)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let divergent = try #require(report["first_divergent"] as? [String: Any])
        #expect(divergent["name"] as? String == "stage2.unit1.shuffle")
        let csv = try run([Self.weights, "--input", Self.input, "--b-shuffle", "paper", "--format", "csv"])
        let rows = csv.output.split(separator: "\n")
        #expect(rows.first == "name,source,max_abs,max_rel,cosine,sqnr_db,divergent,worst_group,worst_group_max_rel")
        #expect(rows.count == 88)
        #expect(rows.dropFirst().first { $0.contains(",true,") }?.hasPrefix("stage2.unit1.shuffle,") == true)
    }

    @Test func sweepAndConventionsPrintOneLinePerComparison() throws {
        let sweep = try run(["--precision-sweep", Self.weights, "--input", Self.input])
        #expect(sweep.status == 0, "\(sweep.errorOutput)")
        let lines = sweep.output.split(separator: "\n").filter { $0.hasPrefix("B: ") }
        #expect(lines.count == 3)
        #expect(zip(lines, ["(f16", "(bf16", "(int8"]).allSatisfy { $0.contains($1) && $0.contains("first divergent stem.conv") })
        let conventions = try run(["--shuffle-conventions", Self.weights, "--input", Self.input])
        #expect(conventions.output.contains("A: g3_reduced.safetensors (authors shuffle"))
        #expect(conventions.output.contains("B: g3_reduced.safetensors (paper shuffle"))
        #expect(conventions.output.contains("first divergent stage2.unit1.shuffle"))
    }

    @Test(arguments: [
        (["--format", "xml"], "xml"),
        (["--b-precision", "f16"], "step dump"),
        (["--tolerance", "nan"], "--tolerance"),
    ])
    func badOptionsGiveOneLine(extra: [String], mentions: String) throws {
        let result = try run([Self.weights, Self.dump] + extra)
        #expect(result.status == 1)
        #expect(result.output == "")
        #expect(result.errorOutput.filter { $0 == "\n" }.count == 1 && result.errorOutput.contains(mentions), "\(result.errorOutput)")
    }
}
