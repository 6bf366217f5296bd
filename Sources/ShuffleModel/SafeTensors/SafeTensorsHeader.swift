import Foundation

/// The checked header of a safetensors file: every entry's dtype is known and its byte range
/// matches its shape and lies inside the file.
struct SafeTensorsHeader {
    var dataStart: Int
    var metadata: [String: String]
    var entries: [String: SafeTensorsFile.Entry]

    static func parse(_ bytes: Data, path: String) throws(WeightsError) -> SafeTensorsHeader {
        let size = bytes.count
        guard size >= 8 else {
            throw .notSafetensors(
                file: path,
                detail: size == 0 ? "it is empty" : "it has \(size) bytes, fewer than the 8-byte length field")
        }
        let prefix = [UInt8](bytes.prefix(16))
        if let kind = recognisedFormat(prefix) {
            throw .notSafetensors(file: path, detail: kind)
        }
        if size > 8, prefix[8] != UInt8(ascii: "{") {
            let hex = prefix.prefix(8).map { String($0, radix: 16) }.joined(separator: " ")
            throw .notSafetensors(file: path, detail: "no JSON header after the length field (file starts \(hex))")
        }
        let headerLength = prefix[0..<8].enumerated().reduce(UInt64(0)) {
            $0 | UInt64($1.element) << (8 * UInt64($1.offset))
        }
        guard headerLength <= UInt64(SafeTensorsFile.maximumHeaderBytes) else {
            throw .headerTooLarge(file: path, headerBytes: headerLength, limit: SafeTensorsFile.maximumHeaderBytes)
        }
        let dataStart = 8 + Int(headerLength)
        guard dataStart <= size else {
            throw .headerBeyondFile(file: path, headerBytes: headerLength, fileBytes: size)
        }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: bytes.subdata(in: 8..<dataStart))
        } catch {
            throw .invalidHeader(file: path, reason: "its \(headerLength)-byte header is not valid JSON")
        }
        guard let object = json as? [String: Any] else {
            throw .invalidHeader(file: path, reason: "the header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        var entries: [String: SafeTensorsFile.Entry] = [:]
        for (key, value) in object {
            if key == "__metadata__" {
                guard let map = value as? [String: String] else {
                    throw .invalidHeader(file: path, reason: "__metadata__ is not a map of strings")
                }
                metadata = map
            } else {
                entries[key] = try entry(key, value, path: path)
            }
        }
        try checkRanges(entries, dataBytes: size - dataStart, fileBytes: size, dataStart: dataStart, path: path)
        return SafeTensorsHeader(dataStart: dataStart, metadata: metadata, entries: entries)
    }

    /// Names formats people plausibly pass by mistake, for a clearer message.
    static func recognisedFormat(_ prefix: [UInt8]) -> String? {
        func starts(_ signature: [UInt8]) -> Bool { prefix.starts(with: signature) }
        if starts([0x89, 0x50, 0x4E, 0x47]) { return "it is a PNG image" }
        if starts([0xFF, 0xD8, 0xFF]) { return "it is a JPEG image" }
        if starts([0x50, 0x4B, 0x03, 0x04]) {
            return "it is a zip archive (a PyTorch .pth checkpoint?); convert it to safetensors first"
        }
        if starts([0x93]) && prefix.dropFirst().starts(with: Array("NUMPY".utf8)) { return "it is a NumPy .npy array" }
        if let first = prefix.first, first == 0x80, prefix.count > 1, (2...5).contains(prefix[1]) {
            return "it is a Python pickle (a PyTorch checkpoint?); convert it to safetensors first"
        }
        return nil
    }

    /// One tensor's description, with its byte count checked against shape × dtype.
    private static func entry(_ key: String, _ value: Any, path: String) throws(WeightsError) -> SafeTensorsFile.Entry {
        guard let fields = value as? [String: Any] else {
            throw .invalidHeader(file: path, reason: "entry '\(key)' is not an object")
        }
        guard let dtypeName = fields["dtype"] as? String else {
            throw .invalidHeader(file: path, reason: "entry '\(key)' has no dtype string")
        }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            throw .unsupportedDtype(file: path, key: key, dtype: dtypeName)
        }
        guard let shape = integers(fields["shape"]) else {
            throw .invalidHeader(file: path, reason: "entry '\(key)' has no shape of non-negative integers")
        }
        guard let offsets = integers(fields["data_offsets"]), offsets.count == 2 else {
            throw .invalidHeader(file: path, reason: "entry '\(key)' has no data_offsets pair of non-negative integers")
        }
        var elements = 1
        var overflow = false
        for dimension in shape {
            (elements, overflow) = elements.multipliedReportingOverflow(by: dimension)
            if overflow { break }
        }
        let (byteCount, byteOverflow) = elements.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow, !byteOverflow, offsets[0] <= offsets[1], offsets[1] - offsets[0] == byteCount else {
            throw .offsetsInconsistent(file: path, key: key, offsets: offsets, shape: shape, dtype: dtypeName)
        }
        return SafeTensorsFile.Entry(
            dtype: dtype, shape: shape, offsets: offsets[0]..<offsets[1], elementCount: elements)
    }

    /// A JSON array of non-negative integers, or nil.
    private static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var result: [Int] = []
        for item in array {
            // Go through Double so a fraction such as 2.5 is rejected rather than truncated;
            // sizes beyond 2^53 cannot describe a real file anyway.
            guard let number = item as? NSNumber, let integer = Int(exactly: number.doubleValue), integer >= 0
            else { return nil }
            result.append(integer)
        }
        return result
    }

    /// Every range must lie inside the data section. When the ranges tile the section without
    /// gaps but run past its end, the header is sound and the file was cut short.
    private static func checkRanges(
        _ entries: [String: SafeTensorsFile.Entry], dataBytes: Int, fileBytes: Int, dataStart: Int, path: String
    ) throws(WeightsError) {
        let sorted = entries.sorted { ($0.value.offsets.lowerBound, $0.key) < ($1.value.offsets.lowerBound, $1.key) }
        guard let last = sorted.map({ $0.value.offsets.upperBound }).max(), last > dataBytes else { return }
        var cursor = 0
        var contiguous = true
        for (_, entry) in sorted {
            if entry.offsets.lowerBound != cursor { contiguous = false }
            cursor = max(cursor, entry.offsets.upperBound)
        }
        if contiguous {
            throw .truncated(file: path, expectedBytes: dataStart + last, actualBytes: fileBytes)
        }
        for (key, entry) in sorted where entry.offsets.upperBound > dataBytes {
            throw .offsetsOutOfRange(
                file: path, key: key, offsets: [entry.offsets.lowerBound, entry.offsets.upperBound],
                dataBytes: dataBytes)
        }
    }
}
