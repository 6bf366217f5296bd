import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed file-system call: which file, what was being done, and the system's reason.
public struct FileIOError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path the caller named (for writes: the destination, not the temporary file).
    public var path: String
    /// What failed, e.g. "open", "write", "rename".
    public var operation: String
    /// The system's message for `errno`, e.g. "No such file or directory".
    public var reason: String

    public init(path: String, operation: String, reason: String) {
        self.path = path
        self.operation = operation
        self.reason = reason
    }

    static func fromErrno(path: String, operation: String) -> FileIOError {
        FileIOError(path: path, operation: operation, reason: String(cString: strerror(errno)))
    }

    public var description: String { "\(path): \(operation) failed: \(reason)" }
}

/// Reads whole files with POSIX calls, so errors carry the system's own reason.
public enum FileReader {
    /// The complete contents of the file at `url`.
    public static func bytes(at url: URL) throws(FileIOError) -> [UInt8] {
        let path = url.path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 { throw .fromErrno(path: path, operation: "open") }
        defer { close(descriptor) }

        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .fromErrno(path: path, operation: "read")
            }
            if count == 0 { return result }
            result.append(contentsOf: chunk[0..<count])
        }
    }
}

/// Replaces files atomically, so a reader (or a crash) never sees a half-written file.
///
/// Every file the project writes goes through `write(_:to:)`: the bytes go to a new temporary
/// file in the destination's directory (same file system, so the rename is atomic), are flushed
/// with `fsync`, and the temporary file is renamed over the destination. The directory is then
/// synced too, so the rename itself survives a power loss. The new file gets mode 0644 minus the
/// umask; an existing file's permissions are not carried over.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws(FileIOError) {
        try write([UInt8](data), to: url)
    }

    public static func write(_ bytes: [UInt8], to url: URL) throws(FileIOError) {
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        let temporaryPath = "\(directory)/.\(url.lastPathComponent).\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"

        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if descriptor < 0 { throw .fromErrno(path: path, operation: "create temporary file") }
        do throws(FileIOError) {
            try writeAll(bytes, to: descriptor, path: path)
            if fsync(descriptor) != 0 { throw .fromErrno(path: path, operation: "fsync") }
        } catch {
            close(descriptor)
            unlink(temporaryPath)
            throw error
        }
        // A failed close may mean lost data (e.g. on network file systems); the descriptor is
        // released either way, so it must not be closed twice.
        if close(descriptor) != 0 {
            let failure = FileIOError.fromErrno(path: path, operation: "close")
            unlink(temporaryPath)
            throw failure
        }
        if rename(temporaryPath, path) != 0 {
            let failure = FileIOError.fromErrno(path: path, operation: "rename")
            unlink(temporaryPath)
            throw failure
        }
        syncDirectory(directory)
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(FileIOError) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                posixWrite(descriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .fromErrno(path: path, operation: "write")
            }
            offset += count
        }
    }

    /// Best effort: the data is already safe in the renamed file; some file systems refuse to
    /// open or sync a directory, and that must not turn a completed write into an error.
    private static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if descriptor < 0 { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}

/// The C `write`, reachable under another name inside `AtomicFile`, whose own `write` hides it.
private func posixWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
