import ArgumentParser
import Foundation
import Glibc
import Inspector
import ShuffleModel
import TerminalBackend

/// `shufflescope inspect` (also what `shufflescope` alone runs): the interactive inspector.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Step through the forward pass in the interactive terminal inspector (the default).",
        discussion: "Press ? inside for every key. Without options: ShuffleNet 1.0× g=3 with seeded, untrained weights on the bundled photo."
    )

    @OptionGroup var model: ModelOptions
    @OptionGroup var input: InputOptions

    @Option(help: "Colours: truecolor, 256, 16, 8 or none (default: what the terminal supports; NO_COLOR turns colour off).")
    var color: String?

    @Option(help: "Measured passes behind the profile view.")
    var profilePasses: Int = 20

    @Option(help: "Compare mode (d): side B, a weights file or a step-dump directory (default: the network without shuffles).")
    var compare: String?
    @Option(name: .customLong("compare-precision"), help: "Compare mode: B's simulated precision (f32, f16, bf16, int8).")
    var comparePrecision: Precision?
    @Option(name: .customLong("compare-shuffle"), help: "Compare mode: B's shuffle convention.")
    var compareShuffle: ShuffleOption?

    func run() throws {
        // Refuse at once, before loading anything, when there is no terminal to draw on.
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            FileHandle.standardError.write(Data("\(TerminalError.notATerminal)\n".utf8))
            throw ExitCode.failure
        }
        try reportingFailures(of: "inspect") {
            let mode = try color.map(ColorMode.parse)
            guard profilePasses >= 1 else { throw UsageError("--profile-passes must be at least 1") }
            let run = try LoadedRun(model: model, input: input)
            var setup = InspectorSetup(run, inputDescription: input.inputDescription)
            setup.profilePasses = profilePasses
            setup.comparison = CompareOptions(path: compare, precision: comparePrecision, shuffle: compareShuffle).source(for: run)
            let app = try InspectorApplication(setup: setup)
            do {
                try CursesTerminal.run(app, colorMode: mode)
            } catch {
                // The backend's messages already name the program.
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode.failure
            }
        }
    }
}

extension ColorMode {
    /// Parses `truecolor`, `256`, `16`, `8` or `none`.
    static func parse(_ text: String) throws -> ColorMode {
        guard let mode = ColorMode(rawValue: text.lowercased()) else {
            throw UsageError("unknown colour mode '\(text)'; use truecolor, 256, 16, 8 or none")
        }
        return mode
    }
}
