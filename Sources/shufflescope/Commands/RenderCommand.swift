import ArgumentParser
import Foundation
import Inspector
import ShuffleModel

/// `shufflescope render`: one inspector frame printed as text or ANSI, or a picture as PNG,
/// without a terminal.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print the frame the inspector would show for a step, as plain text or ANSI colour, or write it as a PNG.",
        discussion: """
            For documentation, papers and tests. The step is a name or a unique part of one (e.g. \
            stage3.unit1.shuffle); an ambiguous part is refused with the candidates. --format png \
            writes the step's channels (or --channel N, or --class-map R) in truecolor to --output.
            """
    )

    @OptionGroup var model: ModelOptions
    @OptionGroup var input: InputOptions

    @Option(help: "The step to show (default: the first).")
    var step: String?

    @Option(help: "View: heatmap, shuffle, profile or reuse.")
    var view: String = "heatmap"

    @Option(help: "Heatmap zoom: groups, group or channel.")
    var zoom: String = "groups"

    @Flag(help: "The focus view: one channel (or --group-mean) beside the input, with the receptive field of --cursor.")
    var focus = false

    @Option(help: "The channel to select (focus view, zoom, PNG).")
    var channel: Int?

    @Flag(help: "Focus view: the mean of the selected channel's group.")
    var groupMean = false

    @Option(help: "Focus view: the cursor as X,Y in the step's output.")
    var cursor: String?

    @Option(help: "Class activation map of the class at this rank of the top 5 (1 = top class): focus view, or PNG.")
    var classMap: Int?

    @Option(help: "Colour map: viridis, magma, grey or diverging.")
    var colormap: String = "viridis"

    @Option(help: "Normalisation: layer, group, channel or clipped (1st to 99th percentile).")
    var normalization: String = "layer"

    @Flag(help: "Show the no-shuffle ablation.")
    var ablation = false

    @Option(help: "Frame size as WIDTHxHEIGHT.")
    var size: String = "120x40"

    @Option(help: "Colours: none (plain text), 8, 16, 256 or truecolor (ANSI escape sequences).")
    var color: String = "none"

    @Option(help: "Output format: text (the frame) or png (a picture, needs --output).")
    var format: String = "text"

    @Option(help: "File to write the PNG to.")
    var output: String?

    @Option(help: "Measured passes behind the profile view.")
    var profilePasses: Int = 10

    func run() throws {
        try reportingFailures(of: "render") {
            let mode = try ColorMode.parse(color)
            let (width, height) = try Self.parseSize(size)
            guard let chosenView = InspectorView(rawValue: view.lowercased()) else {
                throw UsageError("unknown view '\(view)'; use heatmap, shuffle, profile or reuse")
            }
            let zoomLevels: [String: HeatmapZoom] = ["groups": .groups, "group": .group, "channel": .channel]
            guard let chosenZoom = zoomLevels[zoom.lowercased()] else {
                throw UsageError("unknown zoom '\(zoom)'; use groups, group or channel")
            }
            guard let chosenMap = ColormapChoice(rawValue: colormap.lowercased()) else {
                throw UsageError("unknown colour map '\(colormap)'; use viridis, magma, grey or diverging")
            }
            guard let chosenNormalization = Normalization(rawValue: normalization.lowercased()) else {
                throw UsageError("unknown normalisation '\(normalization)'; use layer, group, channel or clipped")
            }
            guard ["text", "png"].contains(format.lowercased()) else { throw UsageError("unknown format '\(format)'; use text or png") }
            if let classMap, !(1...5).contains(classMap) { throw UsageError("--class-map must be 1…5, not \(classMap)") }
            let cursorPoint = try cursor.map(Self.parseCursor)
            guard profilePasses >= 1 else { throw UsageError("--profile-passes must be at least 1") }
            let run = try LoadedRun(model: model, input: input)
            var setup = InspectorSetup(run, inputDescription: input.inputDescription)
            setup.profilePasses = profilePasses
            let app = try InspectorApplication(setup: setup)
            let index = try step.map { try Self.resolve($0, in: app) } ?? 0
            let configure: (inout InspectorState) -> Void = { state in
                state.colormap = chosenMap
                state.normalization = chosenNormalization
                if let channel { state.channel = channel }
                state.focus = focus || classMap != nil
                state.focusGroupMean = groupMean
                if let classMap { state.showsClassMap = true; state.classRank = classMap - 1 }
                if let cursorPoint { (state.cursorX, state.cursorY) = cursorPoint }
            }
            if format.lowercased() == "png" {
                guard let output else { throw UsageError("--format png needs --output FILE.png") }
                let subject: ExportSubject = classMap.map { .classMap(rank: $0 - 1) } ?? channel.map { .channel($0) } ?? .channels
                guard let picture = app.exportPicture(step: index, subject: subject, configure: configure) else {
                    throw UsageError("nothing to draw as a picture for \(app.stepNames[index]): it has no spatial map (or no pool + FC head for a class map)")
                }
                try PNGFile.write(picture, to: output)
                return
            }
            let grid = app.renderFrame(
                step: index, view: chosenView, zoom: chosenZoom, ablation: ablation, width: width, height: height,
                colorMode: mode, configure: configure)
            emit(ANSIRenderer.render(grid, colorMode: mode) + "\n")
        }
    }

    /// The one step `name` means, or a usage error naming the candidates.
    static func resolve(_ name: String, in app: InspectorApplication) throws -> Int {
        let candidates = app.stepCandidates(named: name)
        guard let first = candidates.first else {
            throw UsageError("no step named '\(name)'; `shufflescope summary` lists them")
        }
        guard candidates.count == 1 else {
            let names = candidates.prefix(8).map { app.stepNames[$0] }.joined(separator: ", ")
            let more = candidates.count > 8 ? ", … (\(candidates.count) in all)" : ""
            throw UsageError("'\(name)' matches \(candidates.count) steps: \(names)\(more); give the full name")
        }
        return first
    }

    /// `120x40` → (120, 40), each between 1 and 1000.
    static func parseSize(_ text: String) throws -> (Int, Int) {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]),
            (1...1000).contains(width), (1...1000).contains(height)
        else { throw UsageError("bad size '\(text)'; use WIDTHxHEIGHT, e.g. 120x40") }
        return (width, height)
    }

    /// `12,30` → (12, 30).
    static func parseCursor(_ text: String) throws -> (Int, Int) {
        let parts = text.split(separator: ",")
        guard parts.count == 2, let x = Int(parts[0]), let y = Int(parts[1]), x >= 0, y >= 0 else {
            throw UsageError("bad cursor '\(text)'; use X,Y, e.g. 12,30")
        }
        return (x, y)
    }
}
