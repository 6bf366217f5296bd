/// The three fields of a `.npy` header dictionary.
///
/// The header is a Python literal such as
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 224, 224), }`.
struct NpyHeader: Equatable {
    var descr: String
    var fortranOrder: Bool
    /// Dimensions, outermost first; `[]` for a scalar.
    var shape: [Int]

    /// Parses the dictionary text. Accepts either quote style, any spacing, trailing commas and
    /// Python 2 `L` suffixes; rejects missing, repeated or unknown keys as numpy does.
    static func parse(_ text: String) throws(HeaderParseError) -> NpyHeader {
        var parser = HeaderParser(bytes: Array(text.utf8))
        var descr: String?
        var fortranOrder: Bool?
        var shape: [Int]?

        try parser.expect(UInt8(ascii: "{"))
        while true {
            parser.skipSpace()
            if parser.consume(UInt8(ascii: "}")) { break }
            let key = try parser.parseString()
            parser.skipSpace()
            try parser.expect(UInt8(ascii: ":"))
            parser.skipSpace()
            switch key {
            case "descr" where descr == nil:
                descr = try parser.parseDescr()
            case "fortran_order" where fortranOrder == nil:
                fortranOrder = try parser.parseBool()
            case "shape" where shape == nil:
                shape = try parser.parseShape()
            case "descr", "fortran_order", "shape":
                throw HeaderParseError("key '\(key)' appears twice")
            default:
                throw HeaderParseError("unexpected key '\(key)'")
            }
            parser.skipSpace()
            if parser.consume(UInt8(ascii: ",")) { continue }
            try parser.expect(UInt8(ascii: "}"))
            break
        }
        parser.skipSpace()
        if !parser.atEnd { throw HeaderParseError("unexpected text after the dictionary") }

        guard let descr else { throw HeaderParseError("missing key 'descr'") }
        guard let fortranOrder else { throw HeaderParseError("missing key 'fortran_order'") }
        guard let shape else { throw HeaderParseError("missing key 'shape'") }
        return NpyHeader(descr: descr, fortranOrder: fortranOrder, shape: shape)
    }

    /// The dictionary text numpy itself writes for these fields (without padding).
    var text: String {
        let dimensions: String
        switch shape.count {
        case 0: dimensions = "()"
        case 1: dimensions = "(\(shape[0]),)"
        default: dimensions = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        return "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(dimensions), }"
    }
}

struct HeaderParseError: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

/// A cursor over the header's bytes with just enough grammar for the three fields.
private struct HeaderParser {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index >= bytes.count }

    mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        if index < bytes.count, bytes[index] == byte {
            index += 1
            return true
        }
        return false
    }

    mutating func expect(_ byte: UInt8) throws(HeaderParseError) {
        skipSpace()
        if !consume(byte) {
            let found = atEnd ? "end of header" : "'\(Character(Unicode.Scalar(bytes[index])))'"
            throw HeaderParseError("expected '\(Character(Unicode.Scalar(byte)))' at offset \(index), found \(found)")
        }
    }

    mutating func parseString() throws(HeaderParseError) -> String {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "'") || bytes[index] == UInt8(ascii: "\"") else {
            throw HeaderParseError("expected a quoted key or value at offset \(index)")
        }
        let quote = bytes[index]
        let start = index + 1
        guard let end = bytes[start...].firstIndex(of: quote) else {
            throw HeaderParseError("unterminated string at offset \(index)")
        }
        index = end + 1
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// A plain dtype string; structured dtypes (a list of fields) are reported as unsupported.
    mutating func parseDescr() throws(HeaderParseError) -> String {
        if index < bytes.count, bytes[index] == UInt8(ascii: "[") {
            let start = index
            guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "]")) else {
                throw HeaderParseError("unterminated list in 'descr'")
            }
            index = end + 1
            return String(decoding: bytes[start...end], as: UTF8.self)
        }
        return try parseString()
    }

    mutating func parseBool() throws(HeaderParseError) -> Bool {
        for (word, value) in [("True", true), ("False", false)] {
            let utf8 = Array(word.utf8)
            if bytes.count - index >= utf8.count, Array(bytes[index..<(index + utf8.count)]) == utf8 {
                index += utf8.count
                return value
            }
        }
        throw HeaderParseError("'fortran_order' must be True or False")
    }

    mutating func parseShape() throws(HeaderParseError) -> [Int] {
        try expect(UInt8(ascii: "("))
        var dimensions: [Int] = []
        while true {
            skipSpace()
            if consume(UInt8(ascii: ")")) { return dimensions }
            dimensions.append(try parseDimension())
            skipSpace()
            if consume(UInt8(ascii: ",")) { continue }
            try expect(UInt8(ascii: ")"))
            return dimensions
        }
    }

    private mutating func parseDimension() throws(HeaderParseError) -> Int {
        var value = 0
        let start = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            let digit = Int(bytes[index] - UInt8(ascii: "0"))
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = shifted.addingReportingOverflow(digit)
            if overflowA || overflowB { throw HeaderParseError("shape dimension too large") }
            value = sum
            index += 1
        }
        if index == start { throw HeaderParseError("expected a non-negative integer in 'shape' at offset \(index)") }
        _ = consume(UInt8(ascii: "L"))
        return value
    }
}
