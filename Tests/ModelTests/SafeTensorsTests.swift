import Foundation
import ShuffleEngine
import Testing

@testable import ShuffleModel

@Suite struct SafeTensorsTests {
    @Test func readsAHandWrittenFile() throws {
        let header =
            #"{"__metadata__":{"format":"pt"},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        let file = try SafeTensorsFile(
            bytes: HandMadeSafetensors.file(header: header, data: HandMadeSafetensors.bytes([1, -2, 0.25])),
            path: "hand.safetensors")
        #expect(file.keys == ["a", "b"])
        #expect(file.metadata == ["format": "pt"])
        #expect(try file.floats("a") == ParameterTensor(shape: [2], values: [1, -2]))
        #expect(try file.floats("b") == ParameterTensor(shape: [1], values: [0.25]))
        #expect(file.entries["b"]?.offsets == 8..<12)
    }

    @Test func writerRoundTripsEveryFloatFormat() throws {
        // Values exact in every format (including F16's largest finite and smallest subnormal).
        let values: [Float] = [1, -2, 0.5, 0, 1.5, 256]
        let halfValues: [Float] = values + [65504, 0x1p-24]
        let tensors = [
            SafeTensorsWriter.Tensor(name: "f32", shape: [2, 3], values: values, format: .f32),
            SafeTensorsWriter.Tensor(name: "f16", shape: [8], values: halfValues, format: .f16),
            SafeTensorsWriter.Tensor(name: "bf16", shape: [3, 2], values: values, format: .bf16),
            SafeTensorsWriter.Tensor(name: "f64", shape: [6], values: values, format: .f64),
            SafeTensorsWriter.Tensor(name: "counter", shape: [], int64: [7]),
        ]
        let data = SafeTensorsWriter.encode(tensors, metadata: ["note": "a \"quoted\" value"])
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(headerLength % 8 == 0)  // data starts aligned
        #expect(data.count == 8 + headerLength + 6 * 4 + 8 * 2 + 6 * 2 + 6 * 8 + 8)
        let file = try SafeTensorsFile(bytes: data, path: "round.safetensors")
        #expect(file.metadata == ["note": "a \"quoted\" value"])
        #expect(try file.floats("f32") == ParameterTensor(shape: [2, 3], values: values))
        #expect(try file.floats("f16") == ParameterTensor(shape: [8], values: halfValues))
        #expect(try file.floats("bf16") == ParameterTensor(shape: [3, 2], values: values))
        #expect(try file.floats("f64") == ParameterTensor(shape: [6], values: values))
        #expect(file.entries["counter"]?.dtype == .i64)
    }

    @Test func halfPrecisionBitsByHand() {
        #expect(HalfPrecision.halfBits(from: 1) == 0x3C00)
        #expect(HalfPrecision.halfBits(from: -2) == 0xC000)
        #expect(HalfPrecision.halfBits(from: 65504) == 0x7BFF)
        #expect(HalfPrecision.halfBits(from: 1e6) == 0x7C00)  // overflow to +Inf
        #expect(HalfPrecision.halfBits(from: 0x1p-24) == 0x0001)  // smallest subnormal
        #expect(HalfPrecision.halfBits(from: 1 + 0x1p-11) == 0x3C00)  // tie between 0x3C00 and 0x3C01: even
        #expect(HalfPrecision.halfBits(from: 1 + 3 * 0x1p-11) == 0x3C02)  // tie between 0x3C01 and 0x3C02: even
        #expect(HalfPrecision.float(fromHalfBits: 0x3555) == 0.333251953125)
        #expect(HalfPrecision.float(fromHalfBits: 0x8001) == -0x1p-24)
        #expect(HalfPrecision.float(fromHalfBits: 0xFC00) == -.infinity)
        #expect(HalfPrecision.float(fromHalfBits: 0x7E00).isNaN)
        #expect(HalfPrecision.bfloatBits(from: 1) == 0x3F80)
        #expect(HalfPrecision.float(fromBFloatBits: 0x4049) == 3.140625)
        #expect(HalfPrecision.bfloatBits(from: Float(bitPattern: 0x3F80_8000)) == 0x3F80)  // tie: even
        #expect(HalfPrecision.bfloatBits(from: Float(bitPattern: 0x3F81_8000)) == 0x3F82)  // tie: even
    }

    @Test func missingAndDirectoryPathsAreUnreadable() throws {
        let directory = try ModelScratchDirectory()
        let missing = directory.url.appendingPathComponent("absent.safetensors")
        #expect(throws: WeightsError.unreadableFile(file: missing.path, reason: "no such file")) {
            try SafeTensorsFile(contentsOf: missing)
        }
        #expect(throws: WeightsError.unreadableFile(file: directory.url.path, reason: "it is a directory")) {
            try SafeTensorsFile(contentsOf: directory.url)
        }
    }

    @Test func recognisesFilesThatAreNotSafetensors() throws {
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])
        #expect(throws: WeightsError.notSafetensors(file: "x.png", detail: "it is a PNG image")) {
            try SafeTensorsFile(bytes: png, path: "x.png")
        }
        let zip = Data([0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 20))
        do {
            _ = try SafeTensorsFile(bytes: zip, path: "model.pth")
            Issue.record("a zip archive was accepted")
        } catch {
            guard case .notSafetensors(_, let detail) = error else {
                Issue.record("got \(error)")
                return
            }
            #expect(detail.contains(".pth"))
        }
        var generator = SplitMix64(seed: 7)
        var random = (0..<256).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        random[8] = 0x7A  // never '{', whatever the draw
        do {
            _ = try SafeTensorsFile(bytes: Data(random), path: "noise.bin")
            Issue.record("random bytes were accepted")
        } catch {
            guard case .notSafetensors(let file, _) = error else {
                Issue.record("got \(error)")
                return
            }
            #expect(file == "noise.bin")
        }
    }

    @Test func rejectsBadLengthFields() {
        #expect(throws: WeightsError.notSafetensors(file: "empty", detail: "it is empty")) {
            try SafeTensorsFile(bytes: Data(), path: "empty")
        }
        #expect(
            throws: WeightsError.notSafetensors(
                file: "short", detail: "it has 3 bytes, fewer than the 8-byte length field")
        ) {
            try SafeTensorsFile(bytes: Data([1, 2, 3]), path: "short")
        }
        let huge = HandMadeSafetensors.file(header: "{}", declaredLength: 1 << 40)
        #expect(throws: WeightsError.headerTooLarge(file: "huge", headerBytes: 1 << 40, limit: 100_000_000)) {
            try SafeTensorsFile(bytes: huge, path: "huge")
        }
        let long = HandMadeSafetensors.file(header: "{}", declaredLength: 1000)
        #expect(throws: WeightsError.headerBeyondFile(file: "long", headerBytes: 1000, fileBytes: 10)) {
            try SafeTensorsFile(bytes: long, path: "long")
        }
    }

    @Test(arguments: [
        #"{"a": not json}"#,
        #"{"a": 5}"#,
        #"{"a":{"shape":[1],"data_offsets":[0,4]}}"#,
        #"{"a":{"dtype":"F32","shape":[2.5],"data_offsets":[0,10]}}"#,
        #"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#,
        #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}"#,
        #"{"__metadata__":{"epoch":3}}"#,
    ])
    func rejectsMalformedHeaders(header: String) {
        do {
            _ = try SafeTensorsFile(
                bytes: HandMadeSafetensors.file(header: header, data: [0, 0, 0, 0]), path: "bad.safetensors")
            Issue.record("accepted \(header)")
        } catch {
            guard case .invalidHeader(let file, _) = error else {
                Issue.record("got \(error)")
                return
            }
            #expect(file == "bad.safetensors")
        }
    }

    @Test func checksOffsetsAgainstShapesAndData() {
        let inconsistent = #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#
        #expect(
            throws: WeightsError.offsetsInconsistent(file: "f", key: "w", offsets: [0, 8], shape: [3], dtype: "F32")
        ) {
            try SafeTensorsFile(
                bytes: HandMadeSafetensors.file(header: inconsistent, data: HandMadeSafetensors.bytes([1, 2])),
                path: "f")
        }

        let beyond =
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[100,108]}}"#
        #expect(throws: WeightsError.offsetsOutOfRange(file: "f", key: "b", offsets: [100, 108], dataBytes: 16)) {
            try SafeTensorsFile(
                bytes: HandMadeSafetensors.file(header: beyond, data: HandMadeSafetensors.bytes([1, 2, 3, 4])),
                path: "f")
        }
    }

    @Test func reportsACutFileAsTruncated() {
        let data = SafeTensorsWriter.encode([
            SafeTensorsWriter.Tensor(name: "a", shape: [4], values: [1, 2, 3, 4]),
            SafeTensorsWriter.Tensor(name: "b", shape: [2], values: [5, 6]),
        ])
        #expect(throws: WeightsError.truncated(file: "cut", expectedBytes: data.count, actualBytes: data.count - 5)) {
            try SafeTensorsFile(bytes: data.prefix(data.count - 5), path: "cut")
        }
    }

    @Test func rejectsTypesThatAreNotFloats() throws {
        let header = #"{"q":{"dtype":"I8","shape":[4],"data_offsets":[0,4]}}"#
        let file = try SafeTensorsFile(
            bytes: HandMadeSafetensors.file(header: header, data: [1, 2, 3, 4]), path: "int8")
        #expect(throws: WeightsError.unsupportedDtype(file: "int8", key: "q", dtype: "I8")) { try file.floats("q") }
        let unknown = #"{"q":{"dtype":"Q4_K","shape":[4],"data_offsets":[0,4]}}"#
        #expect(throws: WeightsError.unsupportedDtype(file: "q4", key: "q", dtype: "Q4_K")) {
            try SafeTensorsFile(bytes: HandMadeSafetensors.file(header: unknown, data: [1, 2, 3, 4]), path: "q4")
        }
    }

    @Test func writesAtomicallyToDisk() throws {
        let directory = try ModelScratchDirectory()
        let url = directory.url.appendingPathComponent("w.safetensors")
        try SafeTensorsWriter.write([SafeTensorsWriter.Tensor(name: "x", shape: [1], values: [3])], to: url)
        #expect(try SafeTensorsFile(contentsOf: url).floats("x").values == [3])
        let impossible = directory.url.appendingPathComponent("no/such/dir/w.safetensors")
        #expect(throws: WeightsError.self) {
            try SafeTensorsWriter.write([SafeTensorsWriter.Tensor(name: "x", shape: [1], values: [3])], to: impossible)
        }
    }
}
