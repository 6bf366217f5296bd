import Foundation
import Inspector
import ShuffleModel
import Testing

/// `render` as a user runs it: colours in 256-colour terminals, PNG export, step names, and the
/// JSON reports' shared model object.
@Suite struct RenderTests {
    static let small = ["--groups", "8", "--width", "0.5", "--input-size", "64"]

    func run(_ arguments: [String], seconds: Double = 120) throws -> Subprocess.Result {
        try Subprocess.run(try ShufflescopeBinary.url().path, arguments, seconds: seconds)
    }

    /// Foreground and background colours of every half-block cell of an ANSI frame, in order.
    static func halfBlockColours(_ frame: String) -> [(TerminalColor, TerminalColor)] {
        var result: [(TerminalColor, TerminalColor)] = []
        for line in frame.split(separator: "\n", omittingEmptySubsequences: false) {
            var foreground = TerminalColor.terminalDefault, background = TerminalColor.terminalDefault
            var rest = Substring(line)
            while !rest.isEmpty {
                if rest.hasPrefix("\u{1B}["), let end = rest.firstIndex(of: "m") {
                    let parameters = rest[rest.index(rest.startIndex, offsetBy: 2)..<end].split(separator: ";").compactMap { Int($0) }
                    var i = 0
                    while i < parameters.count {
                        let p = parameters[i]
                        if p == 0 { foreground = .terminalDefault; background = .terminalDefault }
                        if (p == 38 || p == 48), i + 2 < parameters.count, parameters[i + 1] == 5 {
                            let rgb = ColorQuantization.color(ofPalette256Index: parameters[i + 2])
                            let color = TerminalColor.rgb(rgb.red, rgb.green, rgb.blue)
                            if p == 38 { foreground = color } else { background = color }
                            i += 2
                        } else if (p == 38 || p == 48), i + 4 < parameters.count, parameters[i + 1] == 2 {
                            let color = TerminalColor.rgb(UInt8(parameters[i + 2]), UInt8(parameters[i + 3]), UInt8(parameters[i + 4]))
                            if p == 38 { foreground = color } else { background = color }
                            i += 4
                        }
                        i += 1
                    }
                    rest = rest[rest.index(after: end)...]
                    continue
                }
                if rest.first == "▀" { result.append((foreground, background)) }
                rest = rest.dropFirst()
            }
        }
        return result
    }

    /// Spearman's rank correlation (ties get their mean rank).
    static func rankCorrelation(_ a: [Double], _ b: [Double]) -> Double {
        func ranks(_ values: [Double]) -> [Double] {
            let order = values.indices.sorted { values[$0] < values[$1] }
            var ranks = [Double](repeating: 0, count: values.count)
            var i = 0
            while i < order.count {
                var j = i
                while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
                for k in i...j { ranks[order[k]] = Double(i + j) / 2 }
                i = j + 1
            }
            return ranks
        }
        let (x, y) = (ranks(a), ranks(b))
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        let covariance = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let vx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }, vy = y.reduce(0) { $0 + ($1 - my) * ($1 - my) }
        return covariance / (vx * vy).squareRoot()
    }

    @Test func the256ColourStemKeepsTheOrderOfLightness() throws {
        var frames: [String: [(TerminalColor, TerminalColor)]] = [:]
        for mode in ["256", "truecolor"] {
            let result = try run(["render", "--step", "stem.conv", "--size", "120x40", "--color", mode])
            #expect(result.status == 0, "\(result.errorOutput)")
            frames[mode] = Self.halfBlockColours(result.output)
        }
        let palette = try #require(frames["256"]), truecolor = try #require(frames["truecolor"])
        #expect(palette.count == truecolor.count && palette.count > 1000)
        let pixels256 = palette.flatMap { [$0.0, $0.1] }, pixelsTrue = truecolor.flatMap { [$0.0, $0.1] }
        let rho = Self.rankCorrelation(pixels256.map(LabColor.lightness), pixelsTrue.map(LabColor.lightness))
        #expect(rho >= 0.95, "rank correlation of lightness \(rho)")
        #expect(Set(pixels256).count >= 24, "\(Set(pixels256).count) distinct colours")
    }

    @Test func pngOfAChannelHoldsTheMapsColours() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shufflescope-png-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let png = directory.appendingPathComponent("channel.png")
        let written = try run(["render"] + Self.small + ["--step", "stage2.unit1.pw1", "--channel", "5", "--format", "png", "--output", png.path])
        #expect(written.status == 0 && written.output.isEmpty, "\(written.errorOutput)")
        let dumped = try run(["infer"] + Self.small + ["--dump", directory.appendingPathComponent("steps").path])
        #expect(dumped.status == 0, "\(dumped.errorOutput)")
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("steps/index.json"))) as? [String: Any]
        let steps = try #require(index?["steps"] as? [[String: Any]])
        let file = try #require(steps.first { $0["name"] as? String == "stage2.unit1.pw1" }?["file"] as? String)
        let output = try Npy.read(url: directory.appendingPathComponent("steps").appendingPathComponent(file))
        let (channels, height, width) = (output.shape[1], output.shape[2], output.shape[3])
        let image = try ImageDecoder.decode(Array(try Data(contentsOf: png)), file: png.path)
        let scale = max(1, 448 / max(height, width))
        #expect(image.width == width * scale && image.height == height * scale)
        // Per-layer scale: the layer's minimum to its maximum on viridis (the layer is unsigned).
        let values = output.values.prefix(channels * height * width)
        let low = try #require(values.min()), high = try #require(values.max())
        #expect(low >= 0)
        for y in 0..<height {
            for x in 0..<width {
                let value = output.values[(5 * height + y) * width + x]
                let expected = Colormap.viridis.color((value - low) / (high - low), mode: .truecolor)
                let px = x * scale + scale / 2, py = y * scale + scale / 2
                #expect(TerminalColor.rgb(image[px, py, 0], image[px, py, 1], image[px, py, 2]) == expected, "(\(x), \(y))")
            }
        }
    }

    @Test func classMapPngIsTheInputsSize() throws {
        let png = FileManager.default.temporaryDirectory.appendingPathComponent("shufflescope-cam-\(UUID().uuidString).png")
        defer { try? FileManager.default.removeItem(at: png) }
        let result = try run(["render"] + Self.small + ["--step", "head.fc", "--class-map", "1", "--format", "png", "--output", png.path])
        #expect(result.status == 0, "\(result.errorOutput)")
        let image = try ImageDecoder.decode(Array(try Data(contentsOf: png)), file: png.path)
        #expect(image.width == 64 && image.height == 64)
        #expect(Set(stride(from: 0, to: image.pixels.count, by: 3).map { image.pixels[$0] }).count > 20, "a picture, not a flat fill")
    }

    @Test func ambiguousStepsAreRefusedWithTheCandidates() throws {
        let result = try run(["render"] + Self.small + ["--step", "unit1.pw1"])
        #expect(result.status == 1 && result.output.isEmpty)
        #expect(result.errorOutput.contains("matches 3 steps: stage2.unit1.pw1, stage3.unit1.pw1, stage4.unit1.pw1"), "\(result.errorOutput)")
        #expect(try run(["render"] + Self.small + ["--step", "stage3.unit1.pw1", "--size", "80x24"]).status == 0)
    }

    @Test func versionAndHelp() throws {
        let version = try run(["--version"])
        #expect(version.status == 0 && version.output.hasPrefix("shufflescope "))
        let help = try run(["bench", "--help"])
        #expect(help.output.contains("(default: every core)") && !help.output.contains("every core). (default"))
    }

    @Test func everyJsonReportCarriesTheSameModelObject() throws {
        var models: [NSDictionary] = []
        for arguments in [["summary", "--format", "json"], ["infer", "--format", "json"],
                          ["bench", "--runs", "2", "--warmup", "0", "--format", "json"],
                          ["profile", "--runs", "2", "--warmup", "0", "--format", "json"]] {
            let result = try run([arguments[0]] + Self.small + arguments.dropFirst())
            #expect(result.status == 0, "\(arguments): \(result.errorOutput)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
            models.append(try #require(report["model"] as? NSDictionary, "\(arguments[0]) has no model object"))
            if arguments[0] == "profile" {
                let totals = try #require(report["totals"] as? [String: Any])
                #expect(try #require(totals["timing_overhead_ms"] as? Double) >= 0)
            }
        }
        #expect(models.allSatisfy { $0 == models[0] }, "\(models)")
        #expect(models[0]["groups"] as? Int == 8 && models[0]["trained"] as? Bool == false)
    }
}
