import Foundation

/// Bounds on a safetensors header checked before it is parsed.
///
/// A JSON parser builds an object per value, tens of bytes each, so a 100 MB header of tiny
/// values (1.65 M entries, or a shape of millions of numbers) would cost gigabytes before any
/// entry could be judged. One pass over the bytes counts what the parse would build and refuses
/// the header first.
extension SafeTensorsHeader {
    /// The most tensors a header may describe. ShuffleNet files hold a few hundred.
    static let maximumEntries = 65_536
    /// The most JSON values (numbers, strings, arrays, objects) a header may hold: about a
    /// dozen per entry for `maximumEntries`, with room for metadata.
    static let maximumValues = 1_000_000
    /// The deepest nesting a well-formed header has is 3 (`{"t": {"shape": [..]}}`).
    static let maximumDepth = 3

    /// Counts entries (keys at depth 1), values and depth, skipping the contents of strings.
    static func checkHeaderSize(_ header: Data, path: String) throws(WeightsError) {
        var depth = 0
        var entries = 0
        var values = 0
        var inString = false
        var escaped = false
        var valueStarted = false
        for byte in header {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                values += 1
                valueStarted = false
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                values += 1
                valueStarted = false
                guard depth <= maximumDepth else {
                    throw .invalidHeader(file: path, reason: "the header nests deeper than \(maximumDepth) levels")
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                valueStarted = false
            case UInt8(ascii: ":"):
                if depth == 1 { entries += 1 }
                valueStarted = false
            case UInt8(ascii: ","), 0x20, 0x09, 0x0A, 0x0D:
                valueStarted = false
            default:
                // The first byte of a number or literal.
                if !valueStarted { values += 1 }
                valueStarted = true
            }
            guard entries <= maximumEntries else {
                throw .invalidHeader(file: path, reason: "the header describes more than \(maximumEntries) tensors")
            }
            guard values <= maximumValues else {
                throw .invalidHeader(file: path, reason: "the header holds more than \(maximumValues) JSON values")
            }
        }
    }
}
