import Foundation
import ShuffleEngine
import Testing

@testable import ShuffleModel

@Suite struct NpyTests {
    /// 0.5 * i - 1 for i = 0..11: what make_npy_fixtures.py stores in every ramp file.
    static let ramp: [Float] = (0..<12).map { Float($0) * 0.5 - 1 }

    @Test(arguments: ["ramp_v1.npy", "ramp_v2.npy", "ramp_v3.npy", "ramp_f8.npy"])
    func readsEveryVersionAndFloat64(name: String) throws {
        let array = try Npy.read(url: Fixtures.data("npy/\(name)"))
        #expect(array.shape == [1, 3, 2, 2])
        #expect(array.values == Self.ramp)
    }

    @Test func readsFloat16Specials() throws {
        let array = try Npy.read(url: Fixtures.data("npy/halves.npy"))
        #expect(array.shape == [6])
        #expect(Array(array.values[0..<4]) == [1, -2, 65504, 0x1p-24])
        #expect(array.values[4] == 0 && array.values[4].sign == .minus)
        #expect(array.values[5] == .infinity)
    }

    @Test func halfConversionCoversNaNAndSubnormals() {
        #expect(floatFromHalf(0x7E00).isNaN)
        #expect(floatFromHalf(0xFC00) == -.infinity)
        #expect(floatFromHalf(0x03FF) == Float(1023) * 0x1p-24)  // largest subnormal
        #expect(floatFromHalf(0x0400) == 0x1p-14)  // smallest normal
        #expect(floatFromHalf(0x3C01) == 1 + 0x1p-10)
    }

    @Test func readsScalarAndVectors() throws {
        #expect(try Npy.read(url: Fixtures.data("npy/scalar.npy")) == NpyArray(shape: [], values: [3.5]))
        #expect(try Npy.read(url: Fixtures.data("npy/vector_5.npy")) == NpyArray(shape: [5], values: [0, 1, 2, 3, 4]))
    }

    @Test func tensorFromEachRank() throws {
        let nchw = try Npy.readTensor(url: Fixtures.data("npy/ramp_v1.npy"))
        #expect(nchw.shape == Shape(n: 1, c: 3, h: 2, w: 2))
        #expect(nchw[0, 2, 1, 0] == Self.ramp[10])
        let chw = try Npy.readTensor(url: Fixtures.data("npy/ramp_chw.npy"))
        #expect(chw == nchw)
        let logits = try Npy.readTensor(url: Fixtures.data("npy/logits_2x3.npy"))
        #expect(logits.shape == Shape(n: 2, c: 3, h: 1, w: 1))
        #expect(logits[1, 2, 0, 0] == 5)
        let vector = try Npy.readTensor(url: Fixtures.data("npy/vector_5.npy"))
        #expect(vector.shape == Shape(n: 1, c: 5, h: 1, w: 1))
    }

    @Test func scalarIsNotATensor() {
        #expect(throws: NpyError.unsupportedShape(file: "s.npy", shape: [], expected: "1 to 4 dimensions")) {
            try Npy.tensor(from: NpyArray(shape: [], values: [1]), file: "s.npy")
        }
    }

    @Test func rejectsFortranOrder() {
        let url = Fixtures.data("npy/fortran.npy")
        #expect(throws: NpyError.fortranOrder(file: url.path)) { try Npy.read(url: url) }
    }

    @Test func rejectsBigEndianAndIntegers() {
        let big = Fixtures.data("npy/big_endian.npy")
        #expect(throws: NpyError.unsupportedDType(file: big.path, descr: ">f4")) { try Npy.read(url: big) }
        let ints = Fixtures.data("npy/int32.npy")
        #expect(throws: NpyError.unsupportedDType(file: ints.path, descr: "<i4")) { try Npy.read(url: ints) }
        #expect(NpyError.unsupportedDType(file: "b.npy", descr: ">f4").description.contains("big-endian"))
    }

    @Test func rejectsTruncatedAndOversizedData() throws {
        let bytes = try Fixtures.bytes(Fixtures.data("npy/ramp_v1.npy"))
        #expect(bytes.count == 128 + 48)
        #expect(throws: NpyError.truncated(file: "t.npy", shape: [1, 3, 2, 2], expectedBytes: 48, actualBytes: 47)) {
            try Npy.decode(Array(bytes.dropLast()), file: "t.npy")
        }
        #expect(throws: NpyError.trailingBytes(file: "t.npy", shape: [1, 3, 2, 2], expectedBytes: 48, actualBytes: 49)) {
            try Npy.decode(bytes + [0], file: "t.npy")
        }
    }

    @Test func rejectsBadPreambles() throws {
        let bytes = try Fixtures.bytes(Fixtures.data("npy/ramp_v1.npy"))
        #expect(throws: NpyError.notNpy(file: "x")) { try Npy.decode(Array("PK\u{3}\u{4}".utf8), file: "x") }
        #expect(throws: NpyError.unsupportedVersion(file: "x", major: 4, minor: 0)) {
            var changed = bytes
            changed[6] = 4
            _ = try Npy.decode(changed, file: "x")
        }
        // Cut inside the header: the declared length (118) runs past the end.
        #expect(throws: NpyError.malformedHeader(file: "x", reason: "header claims 118 bytes but only 40 follow")) {
            try Npy.decode(Array(bytes[0..<50]), file: "x")
        }
        #expect(throws: NpyError.malformedHeader(file: "x", reason: "file ends inside the fixed preamble")) {
            try Npy.decode(Array(bytes[0..<9]), file: "x")
        }
    }

    @Test(arguments: [
        ("{'descr': '<f4', 'fortran_order': False}", "missing key 'shape'"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}", "unexpected key 'extra'"),
        ("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,)}", "'fortran_order' must be True or False"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1)}", "expected a non-negative integer in 'shape' at offset 54"),
        ("{'descr': '<f4', 'descr': '<f4'}", "key 'descr' appears twice"),
        ("{'descr': '<f4", "unterminated string at offset 10"),
        ("['descr']", "expected '{' at offset 0, found '['"),
    ])
    func rejectsMalformedDictionaries(text: String, reason: String) {
        #expect(throws: NpyError.malformedHeader(file: "h.npy", reason: reason)) {
            try Npy.decode(Self.file(header: text, data: []), file: "h.npy")
        }
    }

    @Test func acceptsOtherSpellingsOfTheHeader() throws {
        let text = "{\"shape\":(2L,1,),\"fortran_order\":False,\"descr\":\"<f4\"}"
        let array = try Npy.decode(Self.file(header: text, data: [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40]), file: "h.npy")
        #expect(array == NpyArray(shape: [2, 1], values: [1, 2]))
    }

    @Test func structuredDTypeIsReportedAsUnsupported() {
        let text = "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}"
        #expect(throws: NpyError.unsupportedDType(file: "h.npy", descr: "[('a', '<f4')]")) {
            try Npy.decode(Self.file(header: text, data: [0, 0, 0, 0]), file: "h.npy")
        }
    }

    /// A version 1.0 file around a header text (padded only with the final newline).
    static func file(header: String, data: [UInt8]) -> [UInt8] {
        let text = Array(header.utf8) + [0x0A]
        return Npy.magic + [1, 0, UInt8(text.count & 0xFF), UInt8(text.count >> 8)] + text + data
    }
}
