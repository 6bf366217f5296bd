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
///
/// Only regular files are read: the file is opened without blocking (a FIFO with no writer
/// would otherwise block the open forever), checked with `fstat`, and refused by kind if it
/// is a directory, FIFO, device or socket (`/dev/zero` never ends, `/dev/null` is always
/// empty). Its size is known before reading, so a file over the caller's limit is refused
/// before anything is allocated, and exactly that many bytes are read.
public enum FileReader {
    /// The default limit for one file read whole: 1 GiB.
    public static let defaultMaximumBytes = 1 << 30

    /// The complete contents of the regular file at `url`, at most `maximumBytes` long.
    public static func bytes(at url: URL, maximumBytes: Int = defaultMaximumBytes) throws(FileIOError) -> [UInt8] {
        let file = try OpenFile(path: url.path, maximumBytes: maximumBytes)
        defer { close(file.descriptor) }
        var failure: FileIOError?
        let result = [UInt8](unsafeUninitializedCapacity: file.size) { buffer, initialized in
            do throws(FileIOError) {
                initialized = try file.readAll(into: UnsafeMutableRawBufferPointer(buffer))
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return result
    }

    /// The complete contents of the regular file at `url` as `Data`, at most `maximumBytes` long.
    public static func data(at url: URL, maximumBytes: Int = defaultMaximumBytes) throws(FileIOError) -> Data {
        let file = try OpenFile(path: url.path, maximumBytes: maximumBytes)
        defer { close(file.descriptor) }
        var data = Data(count: file.size)
        var failure: FileIOError?
        var count = 0
        data.withUnsafeMutableBytes { raw in
            do throws(FileIOError) {
                count = try file.readAll(into: raw)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        if count < data.count { data.removeSubrange(count...) }
        return data
    }

    /// An open regular file and its size.
    private struct OpenFile {
        var path: String
        var descriptor: Int32
        var size: Int

        init(path: String, maximumBytes: Int) throws(FileIOError) {
            self.path = path
            descriptor = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
            if descriptor < 0 { throw .fromErrno(path: path, operation: "open") }
            var status = stat()
            if fstat(descriptor, &status) != 0 {
                let failure = FileIOError.fromErrno(path: path, operation: "stat")
                close(descriptor)
                throw failure
            }
            let kind = status.st_mode & S_IFMT
            guard kind == S_IFREG else {
                close(descriptor)
                throw FileIOError(
                    path: path, operation: "read",
                    reason: "it is \(FileReader.kindName(kind)), not a regular file")
            }
            size = Int(status.st_size)
            guard size <= maximumBytes else {
                close(descriptor)
                throw FileIOError(
                    path: path, operation: "read",
                    reason: "the file has \(size) bytes, more than the limit of \(maximumBytes)")
            }
        }

        /// Reads up to `size` bytes into `buffer` (at least that large); returns how many were
        /// read, fewer only if the file shrank since `fstat`.
        func readAll(into buffer: UnsafeMutableRawBufferPointer) throws(FileIOError) -> Int {
            if size == 0 {
                // Files of /proc and /sys report a size of 0 whatever they hold.
                var probe: UInt8 = 0
                let count = read(descriptor, &probe, 1)
                if count < 0 { throw .fromErrno(path: path, operation: "read") }
                if count > 0 {
                    throw FileIOError(
                        path: path, operation: "read",
                        reason: "it reports a size of 0 but has contents (a /proc or /sys file?); its size must be known before reading")
                }
                return 0
            }
            var offset = 0
            while offset < size, let base = buffer.baseAddress {
                let count = read(descriptor, base + offset, size - offset)
                if count < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    throw .fromErrno(path: path, operation: "read")
                }
                if count == 0 { break }
                offset += count
            }
            return offset
        }
    }

    /// "a directory", "a FIFO", … for an `st_mode & S_IFMT` value.
    static func kindName(_ kind: mode_t) -> String {
        switch kind {
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "a file of an unknown kind"
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

    /// Removes the temporary files `write` leaves behind when its process is killed between
    /// creating and renaming them (`.<name>.<pid>-<random>.tmp`), for processes no longer
    /// running. Best effort: a file that cannot be removed stays.
    public static func removeStaleTemporaryFiles(in directory: URL) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            let stem = name.dropLast(4)
            guard let dot = stem.lastIndex(of: "."), let dash = stem[dot...].firstIndex(of: "-"),
                let pid = pid_t(stem[stem.index(after: dot)..<dash]), pid > 0,
                UInt32(stem[stem.index(after: dash)...]) != nil
            else { continue }
            if kill(pid, 0) != 0, errno == ESRCH {
                unlink(directory.appendingPathComponent(name).path)
            }
        }
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
