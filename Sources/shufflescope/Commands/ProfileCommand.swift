import ArgumentParser
import Foundation
import ShuffleEngine
import ShuffleModel

/// `shufflescope profile`: where the time goes, step by step and by op type.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Time every step over repeated passes: min / median / max, share, MACs, GMAC/s, bytes.",
        discussion: """
            Steps run unfused on the engine's planned pass, each timed. "unattributed" is the \
            end-to-end median minus the sum of the step medians; "timing overhead" compares passes \
            with and without per-step clocks. --trace writes a Chrome/Perfetto trace (open it at \
            ui.perfetto.dev or chrome://tracing).
            """
    )

    @OptionGroup var model: ModelOptions
    @OptionGroup var timing: TimingOptions

    @Option(help: "Output format: table, json or csv.")
    var format: String = "table"

    @Option(help: "Also write a Chrome/Perfetto trace (traceEvents JSON) to this file.")
    var trace: String?

    func run() throws {
        try reportingFailures(of: "profile") {
            let chosen = format.lowercased()
            guard ["table", "json", "csv"].contains(chosen) else {
                throw UsageError("unknown format '\(format)'; use table, json or csv")
            }
            try timing.check()
            let (network, input) = try timing.load(model)
            let profiler = try Profiler(
                graph: network.graph, input: input, passes: timing.runs, warmupPasses: timing.warmup,
                threads: timing.threads)
            let report = profiler.run()
            // The production path (steps fused, no clocks) for comparison.
            let fused = try ForwardPass(graph: network.graph, threads: timing.threads)
            let fastPath = Spread(BenchCommand.measure(fused, input: input, runs: timing.runs, warmup: timing.warmup))
            let view = ProfileTable(
                model: network, report: report, threads: timing.threads, fastPathMedian: fastPath.median)
            switch chosen {
            case "json": emit(view.json())
            case "csv": emit(view.csv())
            default: emit(view.table())
            }
            if let trace {
                let events = TraceEvents(graph: network.graph, samples: profiler.samples,
                                         passSeconds: profiler.timedPassSeconds, threads: timing.threads)
                try AtomicFile.write(Data(events.json().utf8), to: URL(fileURLWithPath: trace))
            }
        }
    }
}
