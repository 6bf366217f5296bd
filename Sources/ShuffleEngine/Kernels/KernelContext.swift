import ShuffleKernelCore

/// What kernels use besides their inputs and output: the worker threads, the instruction set's
/// build of the hot kernels, and scratch memory
/// (per worker) that grows to the largest request and is then reused,
/// so a planned forward pass allocates nothing while it runs.
///
/// One kernel at a time: the scratch belongs to whichever kernel is running, so two threads
/// must not run kernels on one context at once (give each its own context; they may share a
/// `ThreadPool`, which takes callers in turn).
public final class KernelContext {
    public let pool: ThreadPool
    /// Whose build of the matrix products and depthwise convolutions runs.
    public let instructionSet: InstructionSet
    /// `instructionSet.kernels`, looked up once.
    let kernels: any KernelSet.Type
    private var scratch: UnsafeMutablePointer<Float>
    /// Floats of scratch each worker owns.
    private(set) var scratchPerWorker: Int

    /// `instructionSet` defaults to `InstructionSet.selected`; a set this CPU cannot run is
    /// replaced by the widest one it can.
    public init(pool: ThreadPool, instructionSet: InstructionSet = .selected) {
        self.pool = pool
        let set = InstructionSet.available.contains(instructionSet) ? instructionSet : InstructionSet.selected
        self.instructionSet = set
        kernels = set.kernels
        scratchPerWorker = 0
        scratch = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    }

    /// A context with its own pool of `threads` threads (1 runs everything on the caller's thread).
    public convenience init(threads: Int = 1, instructionSet: InstructionSet = .selected) {
        self.init(pool: ThreadPool(threads: threads), instructionSet: instructionSet)
    }

    deinit { scratch.deallocate() }

    public var threads: Int { pool.threads }

    /// Makes sure every worker has at least `floats` floats of scratch.
    public func reserveScratch(floatsPerWorker floats: Int) {
        guard floats > scratchPerWorker else { return }
        scratch.deallocate()
        // 16 floats of slack keep each worker's slice on its own cache lines.
        let stride = (floats + 15) / 16 * 16 + 16
        scratch = .allocateLines(capacity: stride * pool.threads)
        scratch.initialize(repeating: 0, count: stride * pool.threads)
        scratchPerWorker = stride
    }

    /// The scratch slice of `worker`.
    @inline(__always)
    func scratch(worker: Int) -> UnsafeMutablePointer<Float> { scratch + worker * scratchPerWorker }

    /// The scratch memory as a value a parallel job can carry (valid until the next reserve).
    var scratchSlices: ScratchSlices { ScratchSlices(base: scratch, floatsPerWorker: scratchPerWorker) }
}

/// Every worker's scratch: `floatsPerWorker` floats each, worker after worker.
struct ScratchSlices {
    var base: UnsafeMutablePointer<Float>
    var floatsPerWorker: Int

    @inline(__always)
    func slice(worker: Int) -> UnsafeMutablePointer<Float> { base + worker * floatsPerWorker }
}

extension UnsafeMutablePointer where Pointee == Float {
    /// `capacity` floats starting on a 64-byte cache line (`deallocate()` frees them).
    static func allocateLines(capacity: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer.allocate(byteCount: capacity * MemoryLayout<Float>.stride, alignment: 64)
            .bindMemory(to: Float.self, capacity: capacity)
    }
}
