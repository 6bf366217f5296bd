import Foundation
import ShuffleModel
import Testing

/// The non-interactive commands, run as a user runs them: output formats, written files, and
/// one-line errors for bad input. A small network keeps the debug build quick.
@Suite struct CommandLineTests {
    static let small = ["--groups", "8", "--width", "0.5"]

    func run(_ arguments: [String], seconds: Double = 60) throws -> Subprocess.Result {
        try Subprocess.run(try ShufflescopeBinary.url().path, arguments, seconds: seconds)
    }

    func json(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(object as? [String: Any], "not a JSON object: \(text.prefix(200))")
    }

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("shufflescope-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func inferWritesLogitsAndEveryStep() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let logits = directory.appendingPathComponent("logits.npy")
        let dump = directory.appendingPathComponent("steps")
        let result = try run(
            ["infer"] + Self.small + ["--input-size", "64", "--top", "3", "--format", "json",
                                      "--logits", logits.path, "--dump", dump.path])
        #expect(result.status == 0, "\(result.errorOutput)")
        let report = try json(result.output)
        #expect((report["model"] as? [String: Any])?["trained"] as? Bool == false)
        let top = try #require(report["top"] as? [[String: Any]])
        #expect(top.count == 3)
        let probabilities = top.compactMap { $0["probability"] as? Double }
        #expect(probabilities == probabilities.sorted(by: >) && probabilities.reduce(0, +) <= 1)
        #expect(top.allSatisfy { $0["label"] is String }, "1000 classes get ImageNet labels")

        let saved = try Npy.read(url: logits)
        #expect(saved.shape == [1, 1000])
        let best = saved.values.indices.max { saved.values[$0] < saved.values[$1] }
        #expect(best == top[0]["class"] as? Int)

        let index = try json(String(decoding: try Data(contentsOf: dump.appendingPathComponent("index.json")), as: UTF8.self))
        let steps = try #require(index["steps"] as? [[String: Any]])
        #expect(steps.count == 87)
        #expect(steps.compactMap { $0["source"] as? String }.filter { $0.hasPrefix("features.") }.count == 16)
        for step in steps {
            let file = try #require(step["file"] as? String)
            let array = try Npy.read(url: dump.appendingPathComponent(file))
            #expect(array.shape == step["shape"] as? [Int], "\(file)")
        }
        // The last step is the classifier; its dump equals the logits file.
        let last = try Npy.read(url: dump.appendingPathComponent(try #require(steps.last?["file"] as? String)))
        #expect(last.values == saved.values)
    }

    @Test func benchPrintsLatencyStatistics() throws {
        let result = try run(["bench"] + Self.small + ["--input-size", "64", "--runs", "5", "--warmup", "1",
                                                        "--threads", "2", "--format", "json"])
        #expect(result.status == 0, "\(result.errorOutput)")
        let report = try json(result.output)
        let minimum = try #require(report["min_ms"] as? Double)
        let median = try #require(report["median_ms"] as? Double)
        let maximum = try #require(report["max_ms"] as? Double)
        #expect(0 < minimum && minimum <= median && median <= maximum)
        #expect(report["runs"] as? Int == 5 && report["threads"] as? Int == 2)
        #expect(report["mode"] as? String == "fast")

        let inspect = try run(["bench"] + Self.small + ["--input-size", "64", "--runs", "2", "--warmup", "0",
                                                         "--keep-outputs", "--format", "json"])
        #expect(inspect.status == 0, "\(inspect.errorOutput)")
        #expect(try json(inspect.output)["mode"] as? String == "inspect")
    }

    @Test func profileRowsAddUpAndTheTraceHasAnEventPerStepPerRun() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tracePath = directory.appendingPathComponent("trace.json")
        let result = try run(["profile"] + Self.small + ["--input-size", "64", "--runs", "3", "--warmup", "1",
                                                          "--format", "json", "--trace", tracePath.path])
        #expect(result.status == 0, "\(result.errorOutput)")
        let report = try json(result.output)
        let steps = try #require(report["steps"] as? [[String: Any]])
        #expect(steps.count == 87)
        let shares = steps.compactMap { $0["share"] as? Double }
        #expect(abs(shares.reduce(0, +) - 1) < 1e-3)
        let totals = try #require(report["totals"] as? [String: Any])
        let sum = try #require(totals["step_median_sum_ms"] as? Double)
        let endToEnd = try #require(totals["end_to_end_median_ms"] as? Double)
        let unattributed = try #require(totals["unattributed_ms"] as? Double)
        #expect(abs(endToEnd - sum - unattributed) < 1e-3)
        let categories = try #require(report["categories"] as? [[String: Any]])
        #expect(abs(categories.compactMap { $0["mac_share"] as? Double }.reduce(0, +) - 1) < 1e-3)

        // Chrome trace-event format: a traceEvents array of complete events with name, ph, ts, dur, pid, tid.
        let trace = try json(String(decoding: try Data(contentsOf: tracePath), as: UTF8.self))
        let events = try #require(trace["traceEvents"] as? [[String: Any]])
        let stepEvents = events.filter { $0["ph"] as? String == "X" && $0["cat"] as? String != "pass" }
        #expect(stepEvents.count == 87 * 3)
        for event in stepEvents {
            #expect(event["name"] is String && event["pid"] is Int && event["tid"] is Int)
            let ts = try #require(event["ts"] as? Double), dur = try #require(event["dur"] as? Double)
            #expect(ts >= 0 && dur >= 0)
        }
        let names = Set(stepEvents.compactMap { $0["name"] as? String })
        #expect(names.contains("stage3.unit2.shuffle") && names.contains("head.fc"))
    }

    /// Bad input: one line on stderr naming the problem, nothing on stdout, status 1.
    @Test(arguments: [
        (["infer", "--weights", "/nonexistent/w.safetensors"], "/nonexistent/w.safetensors"),
        (["infer", "--input", "/nonexistent/cat.png"], "/nonexistent/cat.png"),
        (["summary", "--groups", "5"], "groups"),
        (["summary", "--format", "yaml"], "yaml"),
        (["bench", "--runs", "0"], "--runs"),
        (["render", "--step", "no.such.step"], "no.such.step"),
        (["render", "--size", "12by4"], "12by4"),
    ])
    func badInputGivesOneLine(arguments: [String], mentions: String) throws {
        // The small network's options first, so a test's own --groups wins.
        let result = try run([arguments[0]] + Self.small + arguments.dropFirst())
        #expect(result.status == 1)
        #expect(result.output == "")
        #expect(result.errorOutput.filter { $0 == "\n" }.count == 1, "\(result.errorOutput)")
        #expect(result.errorOutput.contains(mentions), "\(result.errorOutput)")
    }

    /// Typed options (`--shuffle`, `--preprocess`, `--arch`, `--layout`) are checked by the
    /// argument parser before anything loads: its usage error (status 64), naming the option and
    /// every value it accepts, nothing on stdout.
    @Test(arguments: [
        (["summary", "--shuffle", "foo"], "--shuffle <shuffle>", ["paper", "authors", "none"]),
        (["infer", "--preprocess", "imagenet"], "--preprocess <preprocess>", Preprocessing.allCases.map(\.rawValue)),
        (["summary", "--arch", "v3"], "--arch <arch>", ModelArchitecture.allCases.map(\.rawValue)),
        (["summary", "--layout", "caffe"], "--layout <layout>", ShuffleNetV2Layout.allCases.map(\.rawValue)),
    ])
    func unknownChoiceIsAUsageError(arguments: [String], option: String, choices: [String]) throws {
        let result = try run([arguments[0]] + Self.small + arguments.dropFirst())
        #expect(result.status == 64)
        #expect(result.output == "")
        let first = result.errorOutput.split(separator: "\n").first.map(String.init) ?? ""
        let value = arguments[arguments.count - 1]
        #expect(first.hasPrefix("Error: The value '\(value)' is invalid for '\(option)'. Please provide one of "), "\(first)")
        for choice in choices { #expect(first.contains("'\(choice)'"), "\(first)") }
    }

    @Test func damagedFilesGiveOneLine() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A PNG cut short, random bytes posing as weights, and a truncated safetensors header.
        let png = directory.appendingPathComponent("cut.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48]).write(to: png)
        let noise = directory.appendingPathComponent("noise.safetensors")
        try Data((0..<256).map { UInt8(($0 * 73 + 11) % 256) }).write(to: noise)
        let truncated = directory.appendingPathComponent("short.safetensors")
        try Data([0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0x7B]).write(to: truncated)
        for (arguments, mentions) in [
            (["infer", "--input", png.path], png.path), (["infer", "--weights", noise.path], noise.path),
            (["summary", "--weights", truncated.path], truncated.path),
        ] {
            let result = try run(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.errorOutput.filter { $0 == "\n" }.count == 1, "\(result.errorOutput)")
            #expect(result.errorOutput.contains(mentions), "\(result.errorOutput)")
        }
    }
}
