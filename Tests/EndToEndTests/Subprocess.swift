import Foundation

/// Runs a child process with posix_spawn and collects its output.
///
/// Foundation's `Process` is avoided on purpose: on Linux its `waitUntilExit` can hang when
/// several tests start processes at the same time (children left unreaped).
enum Subprocess {
    struct Result {
        /// The exit status, or 128 + n when killed by signal n (as a shell reports it).
        var status: Int32
        var output: String
        var errorOutput: String
    }

    /// Runs `executable` with `arguments`, its standard input an empty pipe kept open (so
    /// reading it blocks, as with an idle terminal, rather than seeing end of file), its output
    /// and errors captured. Fails if it has not ended after `seconds`, killing it.
    /// Points checkpoint discovery at folders that do not exist; tests that want caches set their own.
    static let noCheckpoints = [
        "SHUFFLESCOPE_MODELS": "/nonexistent/shufflescope-tests/models", "TORCH_HOME": "/nonexistent/shufflescope-tests/torch",
    ]

    static func run(_ executable: String, _ arguments: [String], seconds: Double = 10) throws -> Result {
        // Tests run in parallel: creating the pipes and spawning under one lock keeps one test's
        // pipe ends from leaking into another test's child before they are marked close-on-exec.
        spawnLock.lock()
        let input: (read: Int32, write: Int32)
        let output: (read: Int32, write: Int32)
        let errors: (read: Int32, write: Int32)
        do {
            input = try makePipe()
            output = try makePipe()
            errors = try makePipe()
        } catch {
            spawnLock.unlock()
            throw error
        }
        defer { for fd in [input.read, input.write, output.read, errors.read] { close(fd) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input.read, STDIN_FILENO)
        posix_spawn_file_actions_adddup2(&actions, output.write, STDOUT_FILENO)
        posix_spawn_file_actions_adddup2(&actions, errors.write, STDERR_FILENO)
        // Descriptors of other tests' pipes must not leak into long-lived children (a tmux
        // server would hold them open and their readers would not see the end). glibc 2.34+
        // can close them all; the Swift Glibc module does not declare the function.
        if let addCloseFrom = Self.addCloseFrom { _ = addCloseFrom(&actions, 3) }

        // The test runner's threads block most signals, and a child inherits that mask: a tmux
        // server spawned so would never act on SIGTERM, which is how kill-server stops it.
        // Start every child with nothing blocked and default dispositions.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        // No checkpoint the machine happens to hold may become a test's default model.
        let isolated = ProcessInfo.processInfo.environment.merging(Subprocess.noCheckpoints) { _, isolated in isolated }
        let environment = isolated.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in environment { free(pointer) } }

        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environment)
        spawnLock.unlock()
        close(output.write)
        close(errors.write)
        guard spawned == 0 else {
            throw EndToEndError(description: "cannot start \(executable): \(String(cString: strerror(spawned)))")
        }

        let deadline = Date().addingTimeInterval(seconds)
        var outputData = Data()
        var errorData = Data()
        var open: [Int32] = [output.read, errors.read]
        while !open.isEmpty, Date() < deadline {
            var descriptors = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&descriptors, nfds_t(descriptors.count), 50) >= 0 || errno == EINTR else { break }
            for descriptor in descriptors where descriptor.revents != 0 {
                var buffer = [UInt8](repeating: 0, count: 4096)
                let count = read(descriptor.fd, &buffer, buffer.count)
                if count > 0 {
                    if descriptor.fd == output.read {
                        outputData.append(contentsOf: buffer[0..<count])
                    } else {
                        errorData.append(contentsOf: buffer[0..<count])
                    }
                } else {
                    open.removeAll { $0 == descriptor.fd }
                }
            }
        }

        var rawStatus: Int32 = 0
        while waitpid(pid, &rawStatus, WNOHANG) == 0 {
            if Date() >= deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &rawStatus, 0)
                throw EndToEndError(description: "\(executable) \(arguments) did not end within \(seconds) s")
            }
            usleep(10_000)
        }
        let signal = rawStatus & 0x7F
        return Result(
            status: signal == 0 ? (rawStatus >> 8) & 0xFF : 128 + signal,
            output: String(decoding: outputData, as: UTF8.self),
            errorOutput: String(decoding: errorData, as: UTF8.self)
        )
    }

    private static func makePipe() throws -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else {
            throw EndToEndError(description: "pipe failed: \(String(cString: strerror(errno)))")
        }
        for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        return (descriptors[0], descriptors[1])
    }

    private static let spawnLock = NSLock()

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

    /// `posix_spawn_file_actions_addclosefrom_np`, looked up at run time (nil before glibc 2.34).
    private static let addCloseFrom: AddCloseFrom? = dlsym(
        UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np"
    ).map { unsafeBitCast($0, to: AddCloseFrom.self) }
}
