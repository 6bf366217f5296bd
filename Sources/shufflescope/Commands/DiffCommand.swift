import ArgumentParser
import Foundation
import ShuffleEngine
import ShuffleModel

extension Precision: ExpressibleByArgument {}

/// `shufflescope diff A [B]`: two runs compared step by step.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two runs layer by layer and find the first step where they part ways.",
        discussion: """
            A and B are each a weights file or a directory of step outputs (written by `infer --dump` or \
            scripts/dump_pytorch_steps.py). B defaults to A, so `diff W --b-precision int8` compares W with \
            its int8 simulation. --input, --shuffle and --precision apply to both sides; --a-… and --b-… \
            override them for one side. Steps are matched by name, then by checkpoint module (`source`). \
            Per step: max_abs = max|a−b|, max_rel = max|a−b| / max|a|, cosine, SQNR in dB, and the same per \
            channel group or branch; a step diverges when max_rel > --tolerance. Precisions are simulated \
            in float32 arithmetic (weights rounded; int8 also quantizes every activation).
            --shuffle-conventions W compares W under its own and the other shuffle convention; \
            --precision-sweep W compares W in f32 with f16, bf16 and int8, one line each.
            """)

    @Argument(help: "Side A: a weights file or a step-dump directory.")
    var a: String

    @Argument(help: "Side B (default: the same as A).")
    var b: String?

    @Option(help: "Input for both sides: an image or a .npy tensor (default: the bundled photo).")
    var input: String?
    @Option(name: .customLong("a-input"), help: "Input for side A only.")
    var aInput: String?
    @Option(name: .customLong("b-input"), help: "Input for side B only.")
    var bInput: String?

    @Option(help: "Image preprocessing (default: what the weights expect).")
    var preprocess: Preprocessing?
    @Option(name: .customLong("input-size"), help: "Side of the square crop for images.")
    var inputSize: Int = 224

    @Option(help: "Shuffle convention for both sides: paper, authors or none (default: the weights').")
    var shuffle: ShuffleOption?
    @Option(name: .customLong("a-shuffle"), help: "Shuffle convention of side A only.")
    var aShuffle: ShuffleOption?
    @Option(name: .customLong("b-shuffle"), help: "Shuffle convention of side B only.")
    var bShuffle: ShuffleOption?

    @Option(help: "Simulated precision for both sides: f32, f16, bf16 or int8.")
    var precision: Precision?
    @Option(name: .customLong("a-precision"), help: "Simulated precision of side A only.")
    var aPrecision: Precision?
    @Option(name: .customLong("b-precision"), help: "Simulated precision of side B only.")
    var bPrecision: Precision?

    @Flag(name: .customLong("shuffle-conventions"), help: "Compare A under its own and the other shuffle convention.")
    var shuffleConventions = false
    @Flag(name: .customLong("precision-sweep"), help: "Compare A in f32 with f16, bf16 and int8.")
    var precisionSweep = false

    @Option(help: "A step diverges when max|a−b| / max|a| exceeds this.")
    var tolerance: Double = RunComparison.defaultTolerance
    @Option(help: "How many of the top classes of each side to show.")
    var top: Int = RunComparison.defaultTopK
    @Option(help: "Output format: table, json or csv.")
    var format: String = "table"

    func run() throws {
        try reportingFailures(of: "diff") {
            let format = self.format.lowercased()
            guard ["table", "json", "csv"].contains(format) else {
                throw UsageError("unknown format '\(self.format)'; use table, json or csv")
            }
            guard tolerance >= 0, tolerance.isFinite else { throw UsageError("--tolerance must be a finite number ≥ 0") }
            guard top >= 1 else { throw UsageError("--top must be at least 1, not \(top)") }
            guard !(shuffleConventions && precisionSweep) else {
                throw UsageError("--shuffle-conventions and --precision-sweep are separate reports; choose one")
            }
            let threads = ProcessInfo.processInfo.activeProcessorCount
            let pairs = try comparisons()
            // A sweep compares one run with several: each run is computed once.
            var traces: [(RunDescription, RunTrace)] = []
            func trace(_ side: RunDescription) throws -> RunTrace {
                if let known = traces.first(where: { $0.0 == side }) { return known.1 }
                let made = try side.trace(threads: threads)
                traces.append((side, made))
                return made
            }
            var results: [RunComparison] = []
            for (sideA, sideB) in pairs {
                results.append(RunComparison(a: try trace(sideA), b: try trace(sideB), tolerance: tolerance, topK: top))
            }
            if !(shuffleConventions || precisionSweep), let only = results.first {
                switch format {
                case "json": emit(only.json())
                case "csv": emit(only.csv())
                default: emit(only.table())
                }
                return
            }
            switch format {
            case "json": emit("[" + results.map { $0.json() }.joined(separator: ",") + "]\n")
            case "csv": emit(DiffSummary.csv(results))
            default: emit(DiffSummary.table(results))
            }
        }
    }

    /// The pairs of runs to compare.
    func comparisons() throws -> [(RunDescription, RunDescription)] {
        let base = RunDescription(
            path: URL(fileURLWithPath: a), input: (aInput ?? input).map { URL(fileURLWithPath: $0) },
            preprocessing: preprocess, inputSize: inputSize, shuffle: (aShuffle ?? shuffle)?.convention,
            precision: aPrecision ?? precision ?? .f32)
        if shuffleConventions || precisionSweep {
            guard b == nil else { throw UsageError("--shuffle-conventions and --precision-sweep take one weights file, not two") }
            guard !base.isDump else { throw UsageError("\(a): a step dump cannot be rerun; give a weights file") }
        }
        if precisionSweep {
            return [Precision.f16, .bf16, .int8].map { precision in
                var other = base
                other.precision = precision
                return (base, other)
            }
        }
        if shuffleConventions {
            let trained = try base.load().network.shuffle
            var own = base, other = base
            own.shuffle = trained
            other.shuffle = trained == .authors ? .paper : .authors
            return [(own, other)]
        }
        var side = base
        side.path = URL(fileURLWithPath: b ?? a)
        side.input = (bInput ?? input).map { URL(fileURLWithPath: $0) }
        side.shuffle = (bShuffle ?? shuffle)?.convention
        side.precision = bPrecision ?? precision ?? .f32
        // Shared options apply to the weights-file sides; a side's own options must not name a dump.
        for (description, ownOptions) in [(base, [aInput, aShuffle?.rawValue, aPrecision?.rawValue]),
                                          (side, [bInput, bShuffle?.rawValue, bPrecision?.rawValue])]
        where description.isDump && ownOptions.contains(where: { $0 != nil }) {
            throw UsageError("\(description.path.path): a step dump is compared as written; --a-…/--b-… options apply to weights files")
        }
        return [(base, side)]
    }
}
