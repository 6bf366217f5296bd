import Foundation
import ShuffleEngine
import Testing

@testable import ShuffleModel

@Suite struct NpyWriterTests {
    @Test(arguments: [
        ("logits_2x3.npy", [2, 3], [0, 1, 2, 3, 4, 5] as [Float]),
        ("vector_5.npy", [5], [0, 1, 2, 3, 4]),
        ("scalar.npy", [], [3.5]),
        ("ramp_v1.npy", [1, 3, 2, 2], NpyTests.ramp),
    ])
    func encodesByteForByteLikeNumpy(name: String, shape: [Int], values: [Float]) throws {
        let expected = try Fixtures.bytes(Fixtures.data("npy/\(name)"))
        #expect(try Npy.encode(NpyArray(shape: shape, values: values)) == expected)
    }

    @Test func rejectsValueCountMismatch() {
        #expect(throws: NpyError.valueCountMismatch(file: "<array>", shape: [2, 3], valueCount: 5)) {
            try Npy.encode(NpyArray(shape: [2, 3], values: [0, 1, 2, 3, 4]))
        }
    }

    @Test func usesVersion2ForHugeHeaders() throws {
        // 20,000 dimensions of 1 make a header of about 60 KB plus padding; 30,000 overflow UInt16.
        let shape = [Int](repeating: 1, count: 30_000)
        let bytes = try Npy.encode(NpyArray(shape: shape, values: [7]))
        #expect(bytes[6] == 2 && bytes[7] == 0)
        #expect((bytes.count - 4) % 64 == 0)
        // numpy itself refuses to read headers over 10,000 bytes by default, and so does the reader.
        #expect(
            throws: NpyError.malformedHeader(
                file: "big", reason: "header of \(bytes.count - 16) bytes is over numpy's limit of 10000")
        ) { try Npy.decode(bytes, file: "big") }
    }

    @Test func writesTensorAndReadsItBack() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("features.npy")
        let tensor = Tensor(shape: Shape(n: 1, c: 2, h: 3, w: 1), storage: [-1.5, 0, 1e-30, 3, .infinity, -7])
        try Npy.write(tensor, to: url)
        #expect(try Npy.readTensor(url: url) == tensor)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["features.npy"])
    }

    @Test func atomicWriteReplacesAndLeavesNoTemporaryFile() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("out.bin")
        try AtomicFile.write(Data([1, 2, 3, 4]), to: url)
        try AtomicFile.write([9], to: url)
        #expect(try Fixtures.bytes(url) == [9])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.bin"])
    }

    @Test func atomicWriteNamesTheDestinationOnFailure() {
        let url = URL(fileURLWithPath: "/nonexistent-directory-for-tests/out.npy")
        #expect(throws: NpyError.fileSystem(FileIOError(
            path: url.path, operation: "create temporary file", reason: "No such file or directory"))) {
            try Npy.write(NpyArray(shape: [1], values: [0]), to: url)
        }
    }

    @Test func readErrorsNameTheFile() {
        let url = URL(fileURLWithPath: "/nonexistent-directory-for-tests/in.npy")
        #expect(throws: NpyError.fileSystem(FileIOError(path: url.path, operation: "open", reason: "No such file or directory"))) {
            try Npy.read(url: url)
        }
    }
}
