import Foundation
import ShuffleEngine
import ShuffleModel

/// The `profile` command's output as a table, JSON or CSV.
struct ProfileTable {
    var model: any ShuffleNetwork
    var report: ProfileReport
    var threads: Int
    var fastPathMedian: Double

    /// What the clocks cost, never negative: a timed pass faster than an untimed one is noise,
    /// so the overhead is reported as 0 (the table says "below the noise").
    var timingOverhead: Double { max(0, report.timingOverheadSeconds) }

    private func us(_ seconds: Double) -> String { String(format: "%.1f", seconds * 1e6) }
    private func percent(_ fraction: Double) -> String { String(format: "%.1f%%", fraction * 100) }
    /// `text` right-aligned in `width` columns.
    private func right(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    func table() -> String {
        var lines = [
            "model:   \(model.configurationDescription)",
            "weights: \(model.weightsDescription)",
            "threads: \(threads), \(report.passes) measured passes",
            "",
            "step                     op          median µs    min µs    max µs   share        MACs  GMAC/s  read KiB  write KiB",
        ]
        for step in report.steps {
            lines.append(
                step.name.padding(toLength: 24, withPad: " ", startingAt: 0) + " "
                    + step.kind.padding(toLength: 10, withPad: " ", startingAt: 0)
                    + " " + right(us(step.median), 10) + " " + right(us(step.minimum), 9) + " "
                    + right(us(step.maximum), 9) + " " + right(percent(step.share), 7)
                    + String(
                        format: " %11d %7.2f %9.1f %10.1f", step.multiplyAdds, step.gigaMultiplyAddsPerSecond,
                        Double(step.bytesRead) / 1024, Double(step.bytesWritten) / 1024))
        }
        lines += ["", "op type            steps   median µs  time share  MAC share  mem access share"]
        for category in report.categories {
            lines.append(
                category.category.title.padding(toLength: 18, withPad: " ", startingAt: 0)
                    + String(format: " %5d ", category.stepCount) + right(us(category.seconds), 11) + " "
                    + right(percent(category.timeShare), 11) + " " + right(percent(category.multiplyAddShare), 10)
                    + " " + right(percent(category.memoryAccessShare), 17))
        }
        let e2e = report.endToEndMedian
        lines += [
            "",
            "sum of step medians       \(us(report.stepMedianSum)) µs",
            "end-to-end (timed steps)  \(us(e2e)) µs median",
            "unattributed              \(us(report.unattributedSeconds)) µs (\(percent(e2e > 0 ? report.unattributedSeconds / e2e : 0)) of end-to-end)",
            "without step timing       \(us(report.untimedMedian)) µs median (timing overhead \(us(timingOverhead)) µs\(report.timingOverheadSeconds < 0 ? ", below the noise" : ""))",
            "fast path (fused)         \(us(fastPathMedian)) µs median",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    func csv() -> String {
        var lines = ["name,op,category,median_us,min_us,max_us,share,macs,gmacs_per_s,bytes_read,bytes_written"]
        for step in report.steps {
            lines.append(
                [step.name, step.kind, step.category.rawValue, us(step.median), us(step.minimum), us(step.maximum),
                 String(format: "%.5f", step.share), String(step.multiplyAdds),
                 String(format: "%.3f", step.gigaMultiplyAddsPerSecond), String(step.bytesRead),
                 String(step.bytesWritten)].joined(separator: ","))
        }
        lines.append(["unattributed", "", "", us(report.unattributedSeconds), "", "", "", "0", "", "", ""].joined(separator: ","))
        return lines.joined(separator: "\n") + "\n"
    }

    func json() -> String {
        let steps = report.steps.map { step in
            "{\"name\":\(JSONText.quote(step.name)),\"op\":\"\(step.kind)\",\"category\":\"\(step.category.rawValue)\","
                + "\"median_ms\":\(JSONText.number(step.median * 1000)),\"min_ms\":\(JSONText.number(step.minimum * 1000)),"
                + "\"max_ms\":\(JSONText.number(step.maximum * 1000)),\"share\":\(JSONText.number(step.share)),"
                + "\"macs\":\(step.multiplyAdds),\"gmacs_per_s\":\(JSONText.number(step.gigaMultiplyAddsPerSecond)),"
                + "\"bytes_read\":\(step.bytesRead),\"bytes_written\":\(step.bytesWritten),\"mem_access\":\(step.memoryAccess)}"
        }
        let categories = report.categories.map { category in
            "{\"category\":\"\(category.category.rawValue)\",\"title\":\(JSONText.quote(category.category.title)),"
                + "\"steps\":\(category.stepCount),\"median_ms\":\(JSONText.number(category.seconds * 1000)),"
                + "\"time_share\":\(JSONText.number(category.timeShare)),\"mac_share\":\(JSONText.number(category.multiplyAddShare)),"
                + "\"mem_access_share\":\(JSONText.number(category.memoryAccessShare))}"
        }
        return "{\"model\":\(model.json),\"threads\":\(threads),"
            + "\"passes\":\(report.passes),\"steps\":[" + steps.joined(separator: ",") + "],"
            + "\"categories\":[" + categories.joined(separator: ",") + "],"
            + "\"totals\":{\"step_median_sum_ms\":\(JSONText.number(report.stepMedianSum * 1000)),"
            + "\"end_to_end_median_ms\":\(JSONText.number(report.endToEndMedian * 1000)),"
            + "\"unattributed_ms\":\(JSONText.number(report.unattributedSeconds * 1000)),"
            + "\"untimed_median_ms\":\(JSONText.number(report.untimedMedian * 1000)),"
            + "\"timing_overhead_ms\":\(JSONText.number(timingOverhead * 1000)),"
            + "\"fast_path_median_ms\":\(JSONText.number(fastPathMedian * 1000)),\"macs\":\(report.totalMultiplyAdds)}}\n"
    }
}
