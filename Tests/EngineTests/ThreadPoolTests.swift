import Testing
@testable import ShuffleEngine

@Suite struct ThreadPoolTests {
    @Test(arguments: [1, 2, 3])
    func runsEveryTaskExactlyOnce(threads: Int) {
        let pool = ThreadPool(threads: threads)
        for count in [0, 1, 2, 5, 1000] {
            let runs = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(1, count))
            let workers = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(1, count))
            runs.initialize(repeating: 0)
            workers.initialize(repeating: -1)
            // Each task writes only its own slots, so the threads never share a cell.
            pool.parallelFor(count) { task, worker in
                runs[task] += 1
                workers[task] = worker
            }
            #expect(runs.prefix(count).allSatisfy { $0 == 1 }, "\(count) tasks on \(threads) threads")
            #expect(workers.prefix(count).allSatisfy { (0..<threads).contains($0) })
            runs.deallocate()
            workers.deallocate()
        }
    }

    @Test func parkedWorkersWakeForTheNextLoop() {
        // Zero spin time: workers park after every loop and must be woken for the next one.
        let pool = ThreadPool(threads: 2, spinMicroseconds: 0)
        var total = 0
        for round in 1...50 {
            let sums = UnsafeMutableBufferPointer<Int>.allocate(capacity: 8)
            sums.initialize(repeating: 0)
            pool.parallelFor(8) { task, _ in sums[task] = task * round }
            total += sums.reduce(0, +)
            sums.deallocate()
        }
        #expect(total == 28 * (50 * 51 / 2))
    }

    /// Every kernel must give bit-identical results on any number of threads.
    @Test func kernelsDoNotDependOnTheThreadCount() throws {
        var random = SeededRandom(seed: 11)
        let input = random.tensor(Shape(n: 2, c: 24, h: 29, w: 27))
        let ops: [Op] = [
            .convolution(random.convolution(inputChannels: 24, outputChannels: 48, kernelSize: 1, groups: 3, relu: true)),
            .convolution(random.convolution(inputChannels: 24, outputChannels: 24, kernelSize: 3, stride: 2, padding: 1, groups: 24)),
            .convolution(random.convolution(inputChannels: 24, outputChannels: 12, kernelSize: 3, stride: 2, padding: 1, groups: 2)),
            .maxPool(PoolWindow(kernelSize: 3, stride: 2, padding: 1)),
            .averagePool(PoolWindow(kernelSize: 3, stride: 2, padding: 1)),
            .globalAveragePool,
        ]
        let contexts = [1, 2, 3].map { KernelContext(threads: $0) }
        for op in ops {
            let shape = try op.outputShape(for: [input.shape])
            let results = contexts.map { Kernels.run(op, inputs: [input], outputShape: shape, context: $0) }
            #expect(results[1] == results[0] && results[2] == results[0], "\(op.kind)")
        }
    }
}
