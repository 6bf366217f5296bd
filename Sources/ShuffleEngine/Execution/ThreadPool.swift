import Dispatch
import Foundation
import Synchronization

/// A fixed set of worker threads that run the tasks of one parallel loop at a time.
///
/// The threads are created once. Between loops a worker spins briefly (a forward pass issues
/// one loop per layer, microseconds apart, and waking a parked thread costs tens of
/// microseconds), then parks on a condition variable, so an idle pool uses no CPU.
/// Tasks are handed out dynamically, so which thread runs a task varies; kernels make every
/// task write its own outputs with a fixed order of arithmetic, so results never depend on
/// the number of threads.
public final class ThreadPool: @unchecked Sendable {
    /// Threads that run tasks, counting the caller's: 1 runs everything inline.
    public let threads: Int
    private let state: PoolState
    /// One loop at a time: callers on different threads take turns.
    private let callerLock = NSLock()

    /// - Parameter spinMicroseconds: how long an idle worker waits for the next loop before it parks.
    public init(threads: Int, spinMicroseconds: Int = 200) {
        self.threads = max(1, threads)
        state = PoolState(workers: self.threads - 1, spinNanoseconds: UInt64(max(0, spinMicroseconds)) * 1000)
        for worker in 1..<max(1, self.threads) {
            let state = self.state
            let thread = Thread { state.workerLoop(worker: worker) }
            thread.name = "engine-worker-\(worker)"
            thread.start()
        }
    }

    deinit { state.stop() }

    /// Runs `body(task, worker)` for every `task` in `0..<count` and returns when all are done.
    /// `worker` is in `0..<threads` (0 is the calling thread) and names per-thread scratch memory.
    public func parallelFor(_ count: Int, _ body: (_ task: Int, _ worker: Int) -> Void) {
        if threads == 1 || count <= 1 {
            for task in 0..<count { body(task, 0) }
            return
        }
        callerLock.lock()
        defer { callerLock.unlock() }
        withoutActuallyEscaping(body) { state.run(count: count, body: $0) }
    }
}

/// What the caller and the workers share. Fields written by the caller before it bumps
/// `generation` (with release ordering) are read by workers after they see the new value.
private final class PoolState: @unchecked Sendable {
    let workers: Int
    let spinNanoseconds: UInt64
    let generation = Atomic<Int>(0)
    let nextTask = Atomic<Int>(0)
    let finishedWorkers = Atomic<Int>(0)
    let stopping = Atomic<Bool>(false)
    var taskCount = 0
    var body: ((Int, Int) -> Void)?
    let parking = NSCondition()
    /// Workers parked on `parking`; guarded by it.
    var parked = 0

    /// About a microsecond of pure spinning; after that every check gives the core away first.
    static let spinsBeforeYield = 1000

    init(workers: Int, spinNanoseconds: UInt64) {
        self.workers = workers
        self.spinNanoseconds = spinNanoseconds
    }

    func run(count: Int, body: @escaping (Int, Int) -> Void) {
        self.body = body
        taskCount = count
        nextTask.store(0, ordering: .relaxed)
        finishedWorkers.store(0, ordering: .relaxed)
        generation.wrappingAdd(1, ordering: .releasing)
        parking.lock()
        if parked > 0 { parking.broadcast() }
        parking.unlock()
        runTasks(worker: 0)
        // Workers still inside a task hold `body`; wait before letting it go.
        var spins = 0
        while finishedWorkers.load(ordering: .acquiring) < workers {
            spins += 1
            if spins > Self.spinsBeforeYield { sched_yield() }
        }
        self.body = nil
    }

    func runTasks(worker: Int) {
        guard let body else { return }
        while true {
            let task = nextTask.wrappingAdd(1, ordering: .relaxed).oldValue
            if task >= taskCount { return }
            body(task, worker)
        }
    }

    func workerLoop(worker: Int) {
        var seen = 0
        while true {
            seen = waitForLoop(after: seen)
            if stopping.load(ordering: .acquiring) { return }
            runTasks(worker: worker)
            finishedWorkers.wrappingAdd(1, ordering: .releasing)
        }
    }

    /// Spins until `generation` moves past `seen`, parking once the spin time is used up.
    private func waitForLoop(after seen: Int) -> Int {
        let deadline = DispatchTime.now().uptimeNanoseconds + spinNanoseconds
        var spins = 0
        while true {
            let current = generation.load(ordering: .acquiring)
            if current != seen { return current }
            spins += 1
            if spins > Self.spinsBeforeYield {
                // On a busy machine another thread (maybe the one we wait for) needs this core.
                sched_yield()
                if DispatchTime.now().uptimeNanoseconds > deadline { break }
            }
        }
        parking.lock()
        parked += 1
        var current = generation.load(ordering: .acquiring)
        while current == seen {
            parking.wait()
            current = generation.load(ordering: .acquiring)
        }
        parked -= 1
        parking.unlock()
        return current
    }

    func stop() {
        stopping.store(true, ordering: .releasing)
        generation.wrappingAdd(1, ordering: .releasing)
        parking.lock()
        parking.broadcast()
        parking.unlock()
    }
}
