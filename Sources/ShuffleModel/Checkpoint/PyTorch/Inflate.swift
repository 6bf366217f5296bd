/// A DEFLATE (RFC 1951) decoder for zip entries compressed with method 8.
///
/// `torch.save` stores its entries uncompressed, but an archive repacked by a zip tool deflates
/// them. Written in the manner of zlib's `puff.c`: canonical Huffman codes decoded one bit at a
/// time, every length checked. The output can never exceed `expectedCount` (the size the zip's
/// central directory declares), so a hostile stream cannot make it allocate more than that, and
/// every input byte is consumed at most once, so it cannot loop.
enum Inflate {
    struct Failure: Error, Equatable {
        var reason: String
    }

    /// The decompressed bytes; fails unless the stream is valid and yields exactly `expectedCount` bytes.
    static func decompress(_ input: UnsafeRawBufferPointer, expectedCount: Int) throws(Failure) -> [UInt8] {
        var state = State(input: input, expectedCount: expectedCount)
        var isLast = false
        while !isLast {
            isLast = try state.bits(1) == 1
            switch try state.bits(2) {
            case 0: try state.storedBlock()
            case 1: try state.codes(literals: Self.fixedLiterals, distances: Self.fixedDistances)
            case 2:
                let (literals, distances) = try state.dynamicTables()
                try state.codes(literals: literals, distances: distances)
            default: throw Failure(reason: "invalid block type 3")
            }
        }
        guard state.output.count == expectedCount else {
            throw Failure(reason: "the stream holds \(state.output.count) bytes, not the declared \(expectedCount)")
        }
        return state.output
    }

    /// A canonical Huffman code: how many codes have each length 0...15, and the symbols in code order.
    struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int] = []
        /// More codes of some length than the code space holds: not a prefix code.
        var isOverSubscribed = false
        /// For every `fastBits`-bit window of input (first bit lowest), `symbol << 4 | length` of
        /// the code it starts with, when that code is at most `fastBits` long; 0 otherwise.
        var fast = [Int32](repeating: 0, count: 1 << Inflate.fastBits)

        init(lengths: ArraySlice<Int>) {
            for length in lengths { counts[length] += 1 }
            var left = 1
            for length in 1...15 {
                left = left * 2 - counts[length]
                if left < 0 { isOverSubscribed = true }
            }
            var offsets = [Int](repeating: 0, count: 16)
            for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
            symbols = [Int](repeating: 0, count: lengths.count)
            for (symbol, length) in lengths.enumerated() where length != 0 {
                symbols[offsets[length]] = symbol
                offsets[length] += 1
            }
            guard !isOverSubscribed else { return }
            // Canonical codes (RFC 1951 3.2.2), bit-reversed because the stream sends them first bit lowest.
            var next = [Int](repeating: 0, count: 16)
            var code = 0
            for length in 1...15 {
                code = (code + (length > 1 ? counts[length - 1] : 0)) << 1
                next[length] = code
            }
            for (symbol, length) in lengths.enumerated() where length != 0 && length <= Inflate.fastBits {
                var reversed = 0
                for bit in 0..<length where (next[length] >> bit) & 1 == 1 { reversed |= 1 << (length - 1 - bit) }
                next[length] += 1
                for index in stride(from: reversed, to: 1 << Inflate.fastBits, by: 1 << length) {
                    fast[index] = Int32(symbol << 4 | length)
                }
            }
        }

        /// `init(lengths:)`, refusing an over-subscribed code.
        static func checked(_ lengths: ArraySlice<Int>) throws(Failure) -> Huffman {
            let code = Huffman(lengths: lengths)
            if code.isOverSubscribed { throw Failure(reason: "an over-subscribed Huffman code") }
            return code
        }
    }

    /// Codes up to this long are decoded with one table lookup; longer ones bit by bit.
    static let fastBits = 9

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
        4097, 6145, 8193, 12289, 16385, 24577,
    ]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    /// Order in which the code-length code's lengths are stored.
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// The fixed codes of block type 1.
    static let fixedLiterals = Huffman(
        lengths: ArraySlice(
            Array(repeating: 8, count: 144) + Array(repeating: 9, count: 112) + Array(repeating: 7, count: 24)
                + Array(repeating: 8, count: 8)))
    static let fixedDistances = Huffman(lengths: ArraySlice(Array(repeating: 5, count: 30)))

    struct State {
        let input: UnsafeRawBufferPointer
        let expectedCount: Int
        var position = 0
        var bitBuffer: UInt64 = 0
        var bitCount = 0
        var output: [UInt8] = []

        init(input: UnsafeRawBufferPointer, expectedCount: Int) {
            self.input = input
            self.expectedCount = expectedCount
            output.reserveCapacity(expectedCount)
        }

        mutating func bits(_ count: Int) throws(Failure) -> Int {
            while bitCount < count {
                guard position < input.count else { throw Failure(reason: "the stream ends early") }
                bitBuffer |= UInt64(input[position]) << UInt64(bitCount)
                position += 1
                bitCount += 8
            }
            let value = Int(bitBuffer & ((1 << UInt64(count)) - 1))
            bitBuffer >>= UInt64(count)
            bitCount -= count
            return value
        }

        mutating func emit(_ byte: UInt8) throws(Failure) {
            guard output.count < expectedCount else {
                throw Failure(reason: "the stream holds more than the declared \(expectedCount) bytes")
            }
            output.append(byte)
        }

        mutating func storedBlock() throws(Failure) {
            bitBuffer = 0
            bitCount = 0
            guard position + 4 <= input.count else { throw Failure(reason: "the stream ends early") }
            let length = Int(input[position]) | Int(input[position + 1]) << 8
            let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
            position += 4
            guard length == ~complement & 0xFFFF else { throw Failure(reason: "a stored block's length check fails") }
            guard position + length <= input.count else { throw Failure(reason: "the stream ends early") }
            guard output.count + length <= expectedCount else {
                throw Failure(reason: "the stream holds more than the declared \(expectedCount) bytes")
            }
            output.append(contentsOf: input[position..<(position + length)])
            position += length
        }

        mutating func decode(_ code: Huffman) throws(Failure) -> Int {
            while bitCount < Inflate.fastBits, position < input.count {
                bitBuffer |= UInt64(input[position]) << UInt64(bitCount)
                position += 1
                bitCount += 8
            }
            let entry = Int(code.fast[Int(bitBuffer & UInt64((1 << Inflate.fastBits) - 1))])
            if entry != 0, entry & 15 <= bitCount {
                bitBuffer >>= UInt64(entry & 15)
                bitCount -= entry & 15
                return entry >> 4
            }
            var value = 0, first = 0, index = 0
            for length in 1...15 {
                value |= try bits(1)
                let count = code.counts[length]
                if value - count < first { return code.symbols[index + (value - first)] }
                index += count
                first = (first + count) << 1
                value <<= 1
            }
            throw Failure(reason: "an invalid Huffman code")
        }

        mutating func codes(literals: Huffman, distances: Huffman) throws(Failure) {
            while true {
                let symbol = try decode(literals)
                if symbol < 256 {
                    try emit(UInt8(symbol))
                } else if symbol == 256 {
                    return
                } else {
                    let lengthIndex = symbol - 257
                    guard lengthIndex < Inflate.lengthBase.count else { throw Failure(reason: "an invalid length code") }
                    let length = Inflate.lengthBase[lengthIndex] + (try bits(Inflate.lengthExtra[lengthIndex]))
                    let distanceIndex = try decode(distances)
                    guard distanceIndex < Inflate.distanceBase.count else {
                        throw Failure(reason: "an invalid distance code")
                    }
                    let distance = Inflate.distanceBase[distanceIndex] + (try bits(Inflate.distanceExtra[distanceIndex]))
                    guard distance <= output.count else { throw Failure(reason: "a distance reaching before the start") }
                    guard output.count + length <= expectedCount else {
                        throw Failure(reason: "the stream holds more than the declared \(expectedCount) bytes")
                    }
                    for _ in 0..<length { output.append(output[output.count - distance]) }
                }
            }
        }

        mutating func dynamicTables() throws(Failure) -> (Huffman, Huffman) {
            let literalCount = try bits(5) + 257
            let distanceCount = try bits(5) + 1
            let codeLengthCount = try bits(4) + 4
            guard literalCount <= 286, distanceCount <= 30 else { throw Failure(reason: "too many codes") }
            var codeLengths = [Int](repeating: 0, count: 19)
            for index in 0..<codeLengthCount { codeLengths[Inflate.codeLengthOrder[index]] = try bits(3) }
            let lengthCode = try Huffman.checked(codeLengths[...])
            var lengths: [Int] = []
            while lengths.count < literalCount + distanceCount {
                let symbol = try decode(lengthCode)
                var repeated = 0, value = 0
                switch symbol {
                case 0..<16: lengths.append(symbol); continue
                case 16:
                    guard let previous = lengths.last else { throw Failure(reason: "a repeat with nothing to repeat") }
                    value = previous
                    repeated = 3 + (try bits(2))
                case 17: repeated = 3 + (try bits(3))
                default: repeated = 11 + (try bits(7))
                }
                guard lengths.count + repeated <= literalCount + distanceCount else {
                    throw Failure(reason: "code lengths run past their count")
                }
                lengths += Array(repeating: value, count: repeated)
            }
            guard lengths[256] != 0 else { throw Failure(reason: "no end-of-block code") }
            return (
                try Huffman.checked(lengths[0..<literalCount]),
                try Huffman.checked(lengths[literalCount...])
            )
        }
    }
}
