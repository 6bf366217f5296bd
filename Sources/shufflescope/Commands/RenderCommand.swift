import ArgumentParser
import Foundation
import Inspector
import ShuffleModel

/// `shufflescope render`: one inspector frame printed as text or ANSI, without a terminal.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print the frame the inspector would show for a step, as plain text or ANSI colour.",
        discussion: "For documentation and tests. The step is a name or a unique part of one (e.g. stage3.unit1.shuffle)."
    )

    @OptionGroup var model: ModelOptions
    @OptionGroup var input: InputOptions
    @OptionGroup var memory: MemoryOptions

    @Option(help: "The step to show (default: the first).")
    var step: String?

    @Option(help: "View: heatmap, shuffle or profile.")
    var view: String = "heatmap"

    @Option(help: "Heatmap zoom: groups, group or channel.")
    var zoom: String = "groups"

    @Flag(help: "Show the no-shuffle ablation.")
    var ablation = false

    @Option(help: "Frame size as WIDTHxHEIGHT.")
    var size: String = "120x40"

    @Option(help: "Colours: none (plain text), 8, 16, 256 or truecolor (ANSI escape sequences).")
    var color: String = "none"

    @Option(parsing: .unconditional, help: "Measured passes behind the profile view.")
    var profilePasses: Int = 10

    func run() throws {
        try reportingFailures(of: "render") {
            let mode = try ColorMode.parse(color)
            let (width, height) = try Self.parseSize(size)
            guard let chosenView = InspectorView(rawValue: view.lowercased()) else {
                throw UsageError("unknown view '\(view)'; use heatmap, shuffle or profile")
            }
            let zoomLevels: [String: HeatmapZoom] = ["groups": .groups, "group": .group, "channel": .channel]
            guard let chosenZoom = zoomLevels[zoom.lowercased()] else {
                throw UsageError("unknown zoom '\(zoom)'; use groups, group or channel")
            }
            guard profilePasses >= 1 else { throw UsageError("--profile-passes must be at least 1") }
            let run = try LoadedRun(model: model, input: input)
            var setup = InspectorSetup(run, inputDescription: input.inputDescription)
            setup.profilePasses = profilePasses
            setup.memoryLimit = try memory.limit()
            let app = try InspectorApplication(setup: setup)
            var index = 0
            if let step {
                guard let found = app.stepIndex(named: step) else {
                    throw UsageError("no step named '\(step)'; `shufflescope summary` lists them")
                }
                index = found
            }
            let grid = app.renderFrame(
                step: index, view: chosenView, zoom: chosenZoom, ablation: ablation, width: width, height: height,
                colorMode: mode)
            emit(ANSIRenderer.render(grid, colorMode: mode) + "\n")
        }
    }

    /// `120x40` → (120, 40), each between 1 and 1000.
    static func parseSize(_ text: String) throws -> (Int, Int) {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]),
            (1...1000).contains(width), (1...1000).contains(height)
        else { throw UsageError("bad size '\(text)'; use WIDTHxHEIGHT, e.g. 120x40") }
        return (width, height)
    }
}
