import Testing
@testable import ShuffleEngine

/// Choosing the kernels' instruction set, and whole passes on every set this CPU runs.
@Suite struct InstructionSetTests {
    @Test func cpuFlagsDecideTheSets() {
        #expect(InstructionSet.supported(byCPUFlags: []) == [.portable])
        #expect(InstructionSet.supported(byCPUFlags: ["sse2", "avx", "avx2"]) == [.portable])
        #expect(InstructionSet.supported(byCPUFlags: ["avx", "avx2", "fma"]) == [.portable, .avx2])
        // AVX-512F alone is not enough: the build uses VL, BW and DQ instructions too.
        #expect(InstructionSet.supported(byCPUFlags: ["avx", "avx2", "fma", "avx512f"]) == [.portable, .avx2])
        #expect(
            InstructionSet.supported(byCPUFlags: ["avx", "avx2", "fma", "avx512f", "avx512vl", "avx512bw", "avx512dq"])
                == [.portable, .avx2, .avx512])
    }

    @Test func anEnvironmentNameOnlyNarrowsTheChoice() {
        let all: [InstructionSet] = [.portable, .avx2, .avx512]
        #expect(InstructionSet.choose(named: nil, available: all) == .avx512)
        #expect(InstructionSet.choose(named: "portable", available: all) == .portable)
        #expect(InstructionSet.choose(named: "avx2", available: all) == .avx2)
        // A set the CPU lacks, or no such set, gives the widest the CPU has.
        #expect(InstructionSet.choose(named: "avx512", available: [.portable, .avx2]) == .avx2)
        #expect(InstructionSet.choose(named: "sse9", available: [.portable, .avx2]) == .avx2)
        #expect(InstructionSet.choose(named: nil, available: [.portable]) == .portable)
    }

    @Test func theSelectedSetIsOneTheCPURuns() {
        #expect(InstructionSet.available.first == .portable)
        #expect(InstructionSet.available.contains(InstructionSet.selected))
        #expect(InstructionSet.available == InstructionSet.available.sorted())
        #if arch(x86_64) && os(Linux)
        // The flags this process reads are the ones the sets were worked out from.
        #expect(InstructionSet.available == InstructionSet.supported(byCPUFlags: InstructionSet.cpuFlags()))
        #endif
    }

    @Test func eachSetNamesItsOwnBuild() {
        for set in InstructionSet.allCases {
            #expect(set.kernels.name == set.rawValue)
            #expect(set.kernels.wideTiles == (set == .avx512))
        }
    }

    @Test func aContextNeverUsesASetTheCPUCannotRun() {
        for set in InstructionSet.allCases {
            let context = KernelContext(threads: 1, instructionSet: set)
            #expect(InstructionSet.available.contains(context.instructionSet))
            if InstructionSet.available.contains(set) { #expect(context.instructionSet == set) }
        }
    }

    /// On each set, the fast path on one and two threads and the step-by-step executor give the
    /// same bits; across sets the results agree to rounding (FMA or not).
    @Test func everySetRunsTheWholeNetwork() throws {
        let graph = try ShuffleNetTestGraph(
            groups: 3, widths: [24, 240, 480, 960], resolution: 40, batch: 2, classes: 10, convention: .authors
        ).build()
        var random = SeededRandom(seed: 77)
        let input = random.tensor(graph.inputShape)
        var results: [Tensor] = []
        for set in InstructionSet.available {
            let executor = try Executor(graph: graph, input: input, context: KernelContext(threads: 2, instructionSet: set))
            let expected = executor.runToEnd()
            for threads in [1, 2] {
                let pass = try ForwardPass(graph: graph, context: KernelContext(threads: threads, instructionSet: set))
                #expect(try pass.run(input) == expected, "\(set), \(threads) threads")
            }
            results.append(expected)
        }
        for result in results.dropFirst() { #expect(relativeError(result, results[0]) < 1e-5) }
    }
}
