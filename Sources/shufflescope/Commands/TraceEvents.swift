import Foundation
import ShuffleEngine
import ShuffleModel

/// A Chrome / Perfetto trace of profiled passes: one complete event (`"ph": "X"`) per step per
/// pass, in microseconds. Durations are the measured ones; within a pass the events are laid end
/// to end from the pass's start (the gaps between steps are the report's unattributed time), and
/// passes follow each other by their measured wall time.
struct TraceEvents {
    var graph: Graph
    /// `samples[pass][node]` seconds.
    var samples: [[Double]]
    /// Wall time of each pass, seconds.
    var passSeconds: [Double]
    var threads: Int

    func json() -> String {
        var events: [String] = [
            "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"tid\":1,\"args\":{\"name\":\"shufflescope profile\"}}",
            "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":1,\"args\":{\"name\":\"forward pass (\(threads) threads)\"}}",
        ]
        var passStart = 0.0
        for (pass, durations) in samples.enumerated() {
            let wall = pass < passSeconds.count ? passSeconds[pass] : durations.reduce(0, +)
            events.append(event(name: "pass \(pass + 1)", category: "pass", start: passStart, duration: wall, args: ""))
            var cursor = passStart
            for (index, node) in graph.nodes.enumerated() where index < durations.count {
                let args = ",\"args\":{\"op\":\"\(node.op.kind)\",\"macs\":\(node.multiplyAdds),\"pass\":\(pass + 1)}"
                events.append(event(name: node.name, category: node.op.kind, start: cursor, duration: durations[index], args: args))
                cursor += durations[index]
            }
            passStart += max(wall, cursor - passStart)
        }
        return "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n" + events.joined(separator: ",\n") + "\n]}\n"
    }

    private func event(name: String, category: String, start: Double, duration: Double, args: String) -> String {
        "{\"name\":\(JSONText.quote(name)),\"cat\":\(JSONText.quote(category)),\"ph\":\"X\",\"pid\":1,\"tid\":1,"
            + "\"ts\":\(String(format: "%.3f", start * 1e6)),\"dur\":\(String(format: "%.3f", duration * 1e6))\(args)}"
    }
}
