import Dispatch
import Foundation
import Synchronization

/// A fixed set of worker threads that run the tasks of one parallel loop at a time.
///
/// The threads are created once. Between loops a worker spins briefly (a forward pass issues
/// one loop per layer, microseconds apart, and waking a parked thread costs tens of
/// microseconds), then parks on a condition variable, so an idle pool uses no CPU.
///
/// Tasks are claimed one at a time from a shared counter, and the caller claims tasks too, so
/// a worker that the OS has descheduled (the machine may be shared) never holds up a loop: the
/// caller only waits for tasks a worker has actually started. Which thread runs a task varies;
/// kernels make every task write its own outputs with a fixed order of arithmetic, so results
/// never depend on the number of threads.
public final class ThreadPool: @unchecked Sendable {
    /// Threads that run tasks, counting the caller's: 1 runs everything inline.
    public let threads: Int
    private let state: PoolState
    /// One loop at a time: callers on different threads take turns.
    private let callerLock = NSLock()

    /// - Parameter spinMicroseconds: how long an idle worker waits for the next loop before it parks.
    public init(threads: Int, spinMicroseconds: Int = 200) {
        self.threads = max(1, threads)
        state = PoolState(spinNanoseconds: UInt64(max(0, spinMicroseconds)) * 1000)
        for worker in 1..<max(1, self.threads) {
            let state = self.state
            let thread = Thread { state.workerLoop(worker: worker) }
            thread.name = "engine-worker-\(worker)"
            thread.start()
        }
    }

    deinit { state.stop() }

    /// Runs `job.run(task:worker:)` for every `task` in `0..<count` and returns when all are
    /// done. `worker` is in `0..<threads` (0 is the calling thread) and names per-thread scratch
    /// memory. The job is handed to the workers by address, so a loop allocates nothing.
    public func parallelFor<Job: ParallelJob>(_ count: Int, _ job: Job) {
        if threads == 1 || count <= 1 {
            for task in 0..<count { job.run(task: task, worker: 0) }
            return
        }
        callerLock.lock()
        defer { callerLock.unlock() }
        let invoke: PoolState.Invoke = OffsetJob<Job>.invoke
        var start = 0
        while start < count {
            let chunk = min(count - start, Ticket.maximumTasks)
            withUnsafePointer(to: OffsetJob(job: job, offset: start)) { pointer in
                state.run(count: chunk, job: UnsafeRawPointer(pointer), invoke: invoke)
            }
            start += chunk
        }
    }

    /// `parallelFor` with a closure: convenient, but handing a closure to other threads boxes
    /// its captures on the heap once per loop; kernels use `ParallelJob` values instead.
    public func parallelFor(_ count: Int, _ body: (_ task: Int, _ worker: Int) -> Void) {
        withoutActuallyEscaping(body) { parallelFor(count, ClosureJob(body: $0)) }
    }
}

/// The body of a parallel loop as a value, so the pool can pass it to workers by address.
public protocol ParallelJob: SendableMetatype {
    /// Runs one task; `worker` (0 = the calling thread) names per-thread resources.
    func run(task: Int, worker: Int)
}

extension ParallelJob {
    /// Runs task `task` of the job stored at `job`.
    static func invoke(_ job: UnsafeRawPointer, _ task: Int, _ worker: Int) {
        job.assumingMemoryBound(to: Self.self).pointee.run(task: task, worker: worker)
    }
}

struct OffsetJob<Job: ParallelJob>: ParallelJob {
    var job: Job
    var offset: Int
    func run(task: Int, worker: Int) { job.run(task: offset + task, worker: worker) }
}

private struct ClosureJob: ParallelJob {
    var body: (Int, Int) -> Void
    func run(task: Int, worker: Int) { body(task, worker) }
}

/// The shared claim counter: loop generation, task count and next task in one 64-bit word, so
/// a claim succeeds only for a task of the loop the claimer thinks it is in.
private enum Ticket {
    static let taskBits: UInt64 = 20
    static let maximumTasks = 1 << 20 - 1
    static let taskMask: UInt64 = 1 << taskBits - 1

    static func make(generation: UInt64, count: Int) -> UInt64 {
        (generation << (2 * taskBits)) | (UInt64(count) << taskBits)
    }
    static func generation(_ ticket: UInt64) -> UInt64 { ticket >> (2 * taskBits) }
    static func count(_ ticket: UInt64) -> Int { Int((ticket >> taskBits) & taskMask) }
    static func next(_ ticket: UInt64) -> Int { Int(ticket & taskMask) }
}

final class PoolState: @unchecked Sendable {
    let spinNanoseconds: UInt64
    /// Claimed by every thread for every task.
    let ticket = Atomic<UInt64>(0)
    /// Keeps `ticket` and `completed` on different cache lines, so claiming a task does not
    /// steal the line the finishing threads write (stored properties are laid out in order).
    private let separator: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// Tasks finished by the workers in the current loop, added once per worker and loop.
    let completed = Atomic<Int>(0)
    let stopping = Atomic<Bool>(false)
    /// Workers parked (or about to park) on `parking`.
    let parkedCount = Atomic<Int>(0)
    /// The running loop's job and how to run one of its tasks. Written only between loops (no
    /// task of the previous loop is unfinished), read only by a thread that has claimed a task
    /// of the current loop.
    var job: UnsafeRawPointer?
    var invoke: Invoke?
    let parking = NSCondition()

    typealias Invoke = (UnsafeRawPointer, Int, Int) -> Void

    init(spinNanoseconds: UInt64) {
        self.spinNanoseconds = spinNanoseconds
    }

    /// Runs one loop: publishes the job, takes tasks alongside the workers, and returns once
    /// every task has finished (the job's memory belongs to the caller and dies after this).
    func run(count: Int, job: UnsafeRawPointer, invoke: @escaping Invoke) {
        self.job = job
        self.invoke = invoke
        completed.store(0, ordering: .relaxed)
        let generation = Ticket.generation(ticket.load(ordering: .relaxed)) &+ 1
        // Sequentially consistent with the parking worker's increment and re-check: either it
        // sees this loop, or this sees it parked and wakes it.
        ticket.store(Ticket.make(generation: generation, count: count), ordering: .sequentiallyConsistent)
        if parkedCount.load(ordering: .sequentiallyConsistent) > 0 {
            parking.lock()
            parking.broadcast()
            parking.unlock()
        }
        let mine = runTasks(generation: generation, worker: 0)
        // Only tasks a worker has claimed are left; wait for them to finish.
        var spins = 0
        while completed.load(ordering: .acquiring) + mine < count {
            spins += 1
            if spins > 2000 { sched_yield() }
        }
        self.job = nil
        self.invoke = nil
    }

    /// Claims and runs tasks of loop `generation` until none is left; returns how many it ran.
    @discardableResult
    func runTasks(generation: UInt64, worker: Int) -> Int {
        var ran = 0
        var current = ticket.load(ordering: .acquiring)
        while Ticket.generation(current) == generation && Ticket.next(current) < Ticket.count(current) {
            let (exchanged, original) = ticket.compareExchange(
                expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            guard exchanged else {
                current = original
                continue
            }
            if let job, let invoke { invoke(job, Ticket.next(current), worker) }
            ran += 1
            current = ticket.load(ordering: .acquiring)
        }
        return ran
    }

    func workerLoop(worker: Int) {
        var seen = Ticket.generation(ticket.load(ordering: .acquiring))
        while true {
            seen = waitForLoop(after: seen)
            if stopping.load(ordering: .acquiring) { return }
            let ran = runTasks(generation: seen, worker: worker)
            if ran > 0 { completed.wrappingAdd(ran, ordering: .releasing) }
        }
    }

    /// Spins until the generation moves past `seen`, parking once the spin time is used up.
    private func waitForLoop(after seen: UInt64) -> UInt64 {
        let start = DispatchTime.now().uptimeNanoseconds
        var spins = 0
        var yielding = false
        while true {
            let current = Ticket.generation(ticket.load(ordering: .acquiring))
            if current != seen { return current }
            spins += 1
            if yielding {
                // On a busy machine, give the core to whoever needs it between checks.
                sched_yield()
            }
            if spins & 255 == 0 {
                let waited = DispatchTime.now().uptimeNanoseconds - start
                if waited > spinNanoseconds { break }
                // The gaps between a pass's layers are microseconds: spin through those hot.
                yielding = waited > spinNanoseconds / 4
            }
        }
        parking.lock()
        parkedCount.wrappingAdd(1, ordering: .sequentiallyConsistent)
        var current = Ticket.generation(ticket.load(ordering: .sequentiallyConsistent))
        while current == seen && !stopping.load(ordering: .acquiring) {
            parking.wait()
            current = Ticket.generation(ticket.load(ordering: .acquiring))
        }
        parkedCount.wrappingSubtract(1, ordering: .relaxed)
        parking.unlock()
        return current
    }

    func stop() {
        stopping.store(true, ordering: .releasing)
        parking.lock()
        parking.broadcast()
        parking.unlock()
    }
}
