import Glibc

/// Keeps Swift's crash reporter from stopping to ask questions inside the inspector.
///
/// On Linux the Swift runtime catches crash signals (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT,
/// SIGTRAP, SIGQUIT) and, when stdin and stdout are a terminal, offers an interactive prompt
/// ("Press space to interact, D to debug, or any other key to quit") that waits 30 s reading the
/// terminal. Inside a full-screen program that prompt is invisible and swallows keys. The runtime
/// reads its settings once, from `SWIFT_BACKTRACE`, before `main`; so the only way to change them
/// for this process is to start it again with the variable set. `interactive=no` keeps the
/// report (printed to stderr after `EmergencyRestore` has put the terminal back) and drops the
/// prompt; any setting the user chose for `interactive` is kept.
public enum CrashReportSettings {
    /// The `SWIFT_BACKTRACE` value to run with: `current` with `interactive=no` added, or nil
    /// when `current` already says something about `interactive`.
    public static func nonInteractive(_ current: String?) -> String? {
        guard let current, !current.isEmpty else { return "interactive=no" }
        let keys = current.split(separator: ",").map { String(($0.split(separator: "=").first ?? "").filter { $0 != " " }) }
        if keys.contains("interactive") { return nil }
        return current + ",interactive=no"
    }

    /// Re-executes this program (`/proc/self/exe` with the same arguments) with a
    /// non-interactive crash reporter, unless it already runs with one. Returns only when no
    /// re-execution was needed or it failed (then the program goes on as it is).
    public static func reexecuteWithoutCrashPrompt(arguments: [String]) {
        let current = getenv("SWIFT_BACKTRACE").map { String(cString: $0) }
        guard let value = nonInteractive(current) else { return }
        guard setenv("SWIFT_BACKTRACE", value, 1) == 0 else { return }
        let argv = arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", argv)
        // Only reached if execv failed: undo the change and carry on.
        for pointer in argv { free(pointer) }
        if let current { setenv("SWIFT_BACKTRACE", current, 1) } else { unsetenv("SWIFT_BACKTRACE") }
    }
}
