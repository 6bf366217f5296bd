import ArgumentParser
import Foundation

/// A bad option value or input, reported as one line.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body`; any error becomes one line `shufflescope NAME: message` on stderr and exit 1.
func reportingFailures(of command: String, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        FileHandle.standardError.write(Data("shufflescope \(command): \(error)\n".utf8))
        throw ExitCode.failure
    }
}

/// Writes `text` to stdout without buffering surprises when stdout is a pipe.
func emit(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}
