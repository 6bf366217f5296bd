import Foundation
import ShuffleKernelCore
import ShuffleKernelsAVX2
import ShuffleKernelsAVX512
import ShuffleKernelsPortable

/// The instruction sets the engine's hot kernels are compiled for, widest last. One binary
/// carries all three builds (see Package.swift) and a `KernelContext` uses one of them.
public enum InstructionSet: String, CaseIterable, Comparable, Sendable, CustomStringConvertible {
    /// Baseline x86-64 (SSE2), or whatever the compiler targets elsewhere.
    case portable
    /// AVX2 and FMA (x86-64-v3).
    case avx2
    /// AVX-512 F, VL, BW and DQ (x86-64-v4), with 32-, 48- and 64-column register tiles in matrix products.
    case avx512

    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }

    private var rank: Int {
        switch self {
        case .portable: 0
        case .avx2: 1
        case .avx512: 2
        }
    }

    public var description: String { rawValue }

    /// The kernels compiled for this instruction set.
    public var kernels: any KernelSet.Type {
        switch self {
        case .portable: ShuffleKernelsPortable.TargetKernels.self
        case .avx2: ShuffleKernelsAVX2.TargetKernels.self
        case .avx512: ShuffleKernelsAVX512.TargetKernels.self
        }
    }

    /// Every instruction set this CPU runs, narrowest first (always at least `.portable`).
    public static let available: [InstructionSet] = {
        #if arch(x86_64) && os(Linux)
        return supported(byCPUFlags: cpuFlags())
        #else
        return [.portable]
        #endif
    }()

    /// The widest available set, unless `SHUFFLESCOPE_KERNELS` names a narrower one (to compare
    /// builds, or to run the fallback on a CPU that has more). A name the CPU cannot run, or no
    /// name, gives the widest.
    public static let selected: InstructionSet = choose(
        named: ProcessInfo.processInfo.environment["SHUFFLESCOPE_KERNELS"], available: available)

    /// The set called `name` if it is one of `available`, else the widest of `available`.
    public static func choose(named name: String?, available: [InstructionSet]) -> InstructionSet {
        if let name, let wanted = InstructionSet(rawValue: name), available.contains(wanted) { return wanted }
        return available.max() ?? .portable
    }

    /// The sets a CPU with these `/proc/cpuinfo` flags runs. Linux lists a flag only when the
    /// kernel also saves the registers it needs (XSAVE state), so the flags alone decide.
    public static func supported(byCPUFlags flags: Set<String>) -> [InstructionSet] {
        var sets: [InstructionSet] = [.portable]
        guard flags.isSuperset(of: ["avx", "avx2", "fma"]) else { return sets }
        sets.append(.avx2)
        if flags.isSuperset(of: ["avx512f", "avx512vl", "avx512bw", "avx512dq"]) { sets.append(.avx512) }
        return sets
    }

    /// The `flags` line of the first processor in `/proc/cpuinfo` (empty if it cannot be read).
    /// CPUID itself is out of reach from Swift without C; the kernel's list is the same
    /// information, already masked by what the operating system enables.
    public static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return [] }
        for line in text.split(separator: "\n") where line.hasPrefix("flags") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        }
        return []
    }
}
