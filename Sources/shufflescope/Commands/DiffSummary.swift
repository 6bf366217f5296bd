import ShuffleModel

/// One line per comparison, for `diff --precision-sweep` and the like.
enum DiffSummary {
    /// `B  first divergent  logits max_rel  cosine  SQNR  top-1`.
    static func table(_ results: [RunComparison]) -> String {
        guard let first = results.first else { return "" }
        var lines = ["A: \(first.labelA)", ""]
        for result in results {
            let logits = result.steps.last?.metrics
            let divergent = result.firstDivergent.map { "\($0.name) (max_rel \(short($0.metrics.maxRel)))" } ?? "none"
            let agreement = result.top1Agrees ? "agrees" : "differs"
            lines.append(
                "B: \(result.labelB): first divergent \(divergent); logits max_rel \(short(logits?.maxRel ?? 0)), "
                    + "cosine \(logits.map { String(format: "%.6f", $0.cosine) } ?? "-"), "
                    + "SQNR \(logits.map { $0.sqnrDecibels.isFinite ? String(format: "%.1f dB", $0.sqnrDecibels) : "inf" } ?? "-"); "
                    + "top-1 \(agreement) (\(result.topA.first?.index ?? -1) vs \(result.topB.first?.index ?? -1))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func csv(_ results: [RunComparison]) -> String {
        var rows = ["a,b,first_divergent,logits_max_rel,logits_cosine,logits_sqnr_db,top1_agrees"]
        for result in results {
            let logits = result.steps.last?.metrics
            rows.append(
                [result.labelA, result.labelB, result.firstDivergent?.name ?? "", logits.map { "\($0.maxRel)" } ?? "",
                 logits.map { "\($0.cosine)" } ?? "", logits.map { "\($0.sqnrDecibels)" } ?? "", "\(result.top1Agrees)"]
                    .map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ","))
        }
        return rows.joined(separator: "\n") + "\n"
    }

    static func short(_ value: Double) -> String {
        value == 0 ? "0" : (value.isFinite ? String(format: "%.2e", value) : "\(value)")
    }
}
