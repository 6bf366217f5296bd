import Foundation
import Testing

/// Runs the built `shufflescope` executable, which the build places next to the test bundle.
enum CommandLineTool {
    static let executable: URL? = {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = here.deletingLastPathComponent()
        // macOS test bundles sit at `<products>/X.xctest/Contents/MacOS/X`.
        while directory.pathExtension == "xctest" || ["Contents", "MacOS"].contains(directory.lastPathComponent) {
            directory.deleteLastPathComponent()
        }
        let candidate = directory.appendingPathComponent("shufflescope")
        return FileManager.default.isExecutableFile(atPath: candidate.path) ? candidate : nil
    }()

    struct Result {
        var status: Int32
        var output: String
        var error: String
    }

    static func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        // No checkpoint the machine happens to hold may become the default model of a test.
        process.environment = ProcessInfo.processInfo.environment.merging([
            "SHUFFLESCOPE_MODELS": "/nonexistent/shufflescope-tests/models", "TORCH_HOME": "/nonexistent/shufflescope-tests/torch",
        ]) { _, isolated in isolated }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
            error: String(decoding: errorData, as: UTF8.self))
    }
}

@Suite(.enabled(if: CommandLineTool.executable != nil, "the shufflescope executable is built with the tests"))
struct CommandLineTests {
    @Test func summaryJSONForAReleasedConfiguration() throws {
        let result = try CommandLineTool.run(["summary", "--groups", "8", "--width", "0.5", "--format", "json"])
        #expect(result.status == 0)
        #expect(result.error.isEmpty)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let totals = try #require(object["totals"] as? [String: Int])
        #expect(totals["params"] == 1_010_448)
        #expect(totals["conv_macs"] == 39_701_760)
    }

    @Test func summaryCSVWithOtherInputSizeAndShuffle() throws {
        let result = try CommandLineTool.run([
            "summary", "--groups", "1", "--width", "0.25", "--input-size", "64", "--shuffle", "none", "--format", "csv",
        ])
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 89)
        // 64 → 32 → 16 → 8 → 4 → 2: the last unit's output is 144×2×2; the add reads two such
        // tensors and writes one: 3 · 576 = 1728 elements of memory access.
        #expect(lines.contains("stage4.unit4.combine,add,1x144x2x2,0,0,1728,features.15"))
    }

    @Test(arguments: [
        (["summary", "--groups", "5"], "shufflescope summary: groups must be one of 1, 2, 3, 4, 8, not 5"),
        (["summary", "--format", "xml"], "shufflescope summary: unknown format 'xml'; use table, json or csv"),
        (
            ["summary", "--input-size", "12"],
            "shufflescope summary: input size 12 is too small: stage 4's first unit would receive a 1×1 map; use at least 17"
        ),
        (
            ["summary", "--weights", "/nonexistent/w.safetensors"],
            "shufflescope summary: cannot read weights file '/nonexistent/w.safetensors': no such file"
        ),
    ])
    func badInputGivesOneLineAndFailure(arguments: [String], message: String) throws {
        let result = try CommandLineTool.run(arguments)
        #expect(result.status != 0)
        #expect(result.output.isEmpty)
        #expect(result.error == message + "\n")
    }

    /// `--shuffle` is a typed option: the argument parser rejects an unknown value before any
    /// model is made, naming the option and every accepted value.
    @Test func unknownShuffleIsRejectedByTheParser() throws {
        let result = try CommandLineTool.run(["summary", "--shuffle", "foo"])
        #expect(result.status != 0)
        #expect(result.output.isEmpty)
        #expect(
            result.error.split(separator: "\n").first
                == "Error: The value 'foo' is invalid for '--shuffle <shuffle>'. Please provide one of 'paper', 'authors' or 'none'.")
    }
}
