import Foundation
import ShuffleEngine

/// The three report formats of a comparison: a table for people, JSON and CSV for programs.
extension RunComparison {
    /// `{"a", "b", "tolerance", "steps": [{"name", "source", "max_abs", "max_rel", "cosine", "sqnr_db",
    /// "other_name", "groups": [{"name", "channels": [start, end], "max_abs", "max_rel", "cosine", "sqnr_db"}]}],
    /// "first_divergent": {"name", "source"} or null, "top1_agrees", "top_a", "top_b", "unmatched": [...]}`.
    /// Infinite SQNR (no error) and other non-finite numbers are `null`.
    public func json() -> String {
        func metricFields(_ m: ErrorMetrics) -> String {
            "\"max_abs\":\(Self.number(m.maxAbs)),\"max_rel\":\(Self.number(m.maxRel)),"
                + "\"cosine\":\(Self.number(m.cosine)),\"sqnr_db\":\(Self.number(m.sqnrDecibels))"
        }
        func source(_ value: String?) -> String { value.map(JSONText.quote) ?? "null" }
        let stepLines = steps.map { step in
            let groups = step.bands.map { band in
                "{\"name\":\(JSONText.quote(band.name)),\"channels\":[\(band.channels.lowerBound),\(band.channels.upperBound)],"
                    + metricFields(band.metrics) + "}"
            }
            return "{\"name\":\(JSONText.quote(step.name)),\"source\":\(source(step.source)),"
                + metricFields(step.metrics) + ",\"other_name\":\(JSONText.quote(step.otherName)),"
                + "\"groups\":[\(groups.joined(separator: ","))]}"
        }
        let divergent = firstDivergent.map { "{\"name\":\(JSONText.quote($0.name)),\"source\":\(source($0.source))}" } ?? "null"
        func ranked(_ list: [RankedClass]) -> String {
            "[" + list.map { "{\"index\":\($0.index),\"value\":\(Self.number(Double($0.value)))}" }.joined(separator: ",") + "]"
        }
        let unmatchedLines = unmatched.map {
            "{\"side\":\(JSONText.quote($0.side)),\"name\":\(JSONText.quote($0.name)),\"source\":\(source($0.source)),"
                + "\"reason\":\(JSONText.quote($0.reason))}"
        }
        return "{\"a\":\(JSONText.quote(labelA)),\"b\":\(JSONText.quote(labelB)),\"tolerance\":\(Self.number(tolerance)),\n"
            + "\"steps\":[\n" + stepLines.joined(separator: ",\n") + "\n],\n"
            + "\"first_divergent\":\(divergent),\"top1_agrees\":\(top1Agrees),\n"
            + "\"top_a\":\(ranked(topA)),\"top_b\":\(ranked(topB)),\n"
            + "\"unmatched\":[" + unmatchedLines.joined(separator: ",\n") + "]}\n"
    }

    /// `name,source,max_abs,max_rel,cosine,sqnr_db,divergent,worst_group,worst_group_max_rel`, one row per step.
    public func csv() -> String {
        var rows = ["name,source,max_abs,max_rel,cosine,sqnr_db,divergent,worst_group,worst_group_max_rel"]
        for step in steps {
            let m = step.metrics
            let worst = step.worstBand
            rows.append(
                [Self.csvField(step.name), Self.csvField(step.source ?? ""), Self.plain(m.maxAbs), Self.plain(m.maxRel),
                 Self.plain(m.cosine), Self.plain(m.sqnrDecibels), String(!(m.maxRel <= tolerance)),
                 Self.csvField(worst?.name ?? ""), worst.map { Self.plain($0.metrics.maxRel) } ?? ""]
                    .joined(separator: ","))
        }
        return rows.joined(separator: "\n") + "\n"
    }

    /// A table for a terminal: one line per matched step, then the first divergent step, the
    /// top classes of both sides and the unmatched steps.
    public func table(showAllUnmatched: Bool = false) -> String {
        let width = max(20, steps.map(\.name.count).max() ?? 0)
        let sourceWidth = max(8, steps.map { ($0.source ?? "").count }.max() ?? 0)
        var lines = [
            "A: \(labelA)", "B: \(labelB)",
            "a step diverges when max|a−b| / max|a| > \(Self.plain(tolerance))", "",
            "  " + "step".padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                + "source".padding(toLength: sourceWidth, withPad: " ", startingAt: 0)
                + "    max_abs    max_rel     cosine  sqnr_dB  worst group",
        ]
        for (index, step) in steps.enumerated() {
            let m = step.metrics
            let mark = index == firstDivergentIndex ? "▶ " : (m.maxRel <= tolerance ? "  " : "! ")
            let worst = step.bands.count > 1 ? step.worstBand.map { "\($0.name) \(Self.short($0.metrics.maxRel))" } ?? "" : ""
            lines.append(
                mark + step.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                    + (step.source ?? "-").padding(toLength: sourceWidth, withPad: " ", startingAt: 0)
                    + "  " + Self.right(Self.short(m.maxAbs), 9) + "  " + Self.right(Self.short(m.maxRel), 9)
                    + String(format: "  %9.6f  ", m.cosine) + Self.right(Self.decibels(m.sqnrDecibels), 7) + "  " + worst)
        }
        lines.append("")
        lines.append("first divergent: " + (firstDivergent.map { "\($0.name)" + ($0.source.map { " (\($0))" } ?? "")
            + ", max_rel \(Self.short($0.metrics.maxRel))" } ?? "none"))
        func ranked(_ list: [RankedClass]) -> String { list.map { "\($0.index) (\(String(format: "%.4g", $0.value)))" }.joined(separator: "  ") }
        lines.append("top-\(max(topA.count, topB.count)) A: \(ranked(topA))")
        lines.append("top-\(max(topA.count, topB.count)) B: \(ranked(topB))")
        lines.append("top-1 agrees: \(top1Agrees ? "yes" : "no")")
        lines.append("unmatched: \(unmatched.count)" + (unmatched.isEmpty ? "" : " steps"))
        let shown = showAllUnmatched ? unmatched : Array(unmatched.prefix(8))
        for step in shown { lines.append("  \(step.side.uppercased()) \(step.name): \(step.reason)") }
        if shown.count < unmatched.count { lines.append("  … \(unmatched.count - shown.count) more (--format json lists all)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `%.9g` for finite numbers, `null` otherwise (JSON has no infinities).
    static func number(_ value: Double) -> String { value.isFinite ? String(format: "%.9g", value) : "null" }
    /// `%.9g`, `inf`, `nan`.
    static func plain(_ value: Double) -> String {
        value.isFinite ? String(format: "%.9g", value) : (value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf"))
    }
    /// `1.23e-05`, `0`, `inf`.
    static func short(_ value: Double) -> String {
        value == 0 ? "0" : (value.isFinite ? String(format: "%.2e", value) : plain(value))
    }
    static func decibels(_ value: Double) -> String { value.isFinite ? String(format: "%.1f", value) : plain(value) }
    static func right(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
    static func csvField(_ text: String) -> String {
        text.contains(",") || text.contains("\"") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}

extension StepComparison {
    /// The band with the largest relative error.
    public var worstBand: BandError? { bands.max { $0.metrics.maxRel < $1.metrics.maxRel } }
}
