import ArgumentParser
import Foundation

/// `--memory-limit`: how much memory the inspector may spend on kept step outputs.
struct MemoryOptions: ParsableArguments {
    @Option(
        name: .customLong("memory-limit"),
        help: "Memory for kept step outputs, e.g. 512M or 4G (default: half of the available memory). Above it, outputs far from the current step are dropped and recomputed when shown.")
    var memoryLimit: String?

    /// The limit in bytes: the option's value, or half of `MemAvailable`; nil if neither is known.
    func limit() throws -> Int? {
        if let memoryLimit {
            guard let bytes = Self.parse(memoryLimit), bytes > 0 else {
                throw UsageError("bad --memory-limit '\(memoryLimit)'; use a size such as 512M, 4G or 1000000000")
            }
            return bytes
        }
        return Self.availableMemory().map { $0 / 2 }
    }

    /// `512M` → 512 MiB, `4G` → 4 GiB, `1000` → 1000 bytes (K, M, G, T are powers of 1024;
    /// a trailing `B` or `iB` is allowed).
    static func parse(_ text: String) -> Int? {
        var digits = text.uppercased().trimmingCharacters(in: .whitespaces)
        for suffix in ["IB", "B"] where digits.hasSuffix(suffix) { digits.removeLast(suffix.count); break }
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        var scale = 1
        if let last = digits.last, let unit = units[last] {
            scale = unit
            digits.removeLast()
        }
        guard let value = Double(digits), value.isFinite, value >= 0 else { return nil }
        let bytes = value * Double(scale)
        return bytes < 0x1p62 ? Int(bytes) : nil
    }

    /// `MemAvailable` from `/proc/meminfo`, in bytes.
    static func availableMemory() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kilobytes = Int(fields[1]) { return kilobytes * 1024 }
        }
        return nil
    }
}
