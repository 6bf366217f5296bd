import Foundation
import Testing

@testable import ShuffleModel

/// Special files, files over their size limit, and headers that ask for more than they hold.
@Suite struct HostileFileTests {
    @Test(arguments: [
        ("/dev/null", "it is a character device, not a regular file"),
        ("/dev/zero", "it is a character device, not a regular file"),
        ("/proc", "it is a directory, not a regular file"),
    ])
    func specialFilesAreRefusedByKind(path: String, reason: String) {
        #expect(throws: FileIOError(path: path, operation: "read", reason: reason)) {
            try FileReader.bytes(at: URL(fileURLWithPath: path))
        }
        #expect(throws: WeightsError.unreadableFile(file: path, reason: reason)) {
            try SafeTensorsFile(contentsOf: URL(fileURLWithPath: path))
        }
    }

    /// A FIFO with no writer would block `open` forever; it is refused at once.
    @Test func aFIFOIsRefusedWithoutBlocking() throws {
        let directory = try ModelScratchDirectory()
        let path = directory.url.appendingPathComponent("pipe").path
        #expect(mkfifo(path, 0o600) == 0)
        #expect(throws: FileIOError(path: path, operation: "read", reason: "it is a FIFO (named pipe), not a regular file")) {
            try FileReader.bytes(at: URL(fileURLWithPath: path))
        }
        #expect(throws: InputError.self) { try InputLoader.loadImage(url: URL(fileURLWithPath: path)) }
    }

    @Test func filesOverTheLimitAreRefusedBeforeReading() throws {
        let directory = try ModelScratchDirectory()
        let url = try directory.file("eleven", Data(repeating: 1, count: 11))
        #expect(try FileReader.bytes(at: url, maximumBytes: 11).count == 11)
        #expect(try FileReader.data(at: url, maximumBytes: 11) == Data(repeating: 1, count: 11))
        #expect(throws: FileIOError(path: url.path, operation: "read", reason: "the file has 11 bytes, more than the limit of 10")) {
            try FileReader.bytes(at: url, maximumBytes: 10)
        }
        let empty = try directory.file("empty", Data())
        #expect(try FileReader.bytes(at: empty).isEmpty)
        #expect(throws: WeightsError.notSafetensors(file: empty.path, detail: "it is empty")) {
            try SafeTensorsFile(contentsOf: empty)
        }
    }

    // MARK: - safetensors

    static func entry(_ name: String, _ begin: Int, _ end: Int) -> String {
        #""\#(name)":{"dtype":"F32","shape":[\#((end - begin) / 4)],"data_offsets":[\#(begin),\#(end)]}"#
    }

    static func open(_ entries: [String], dataBytes: Int) throws(WeightsError) -> SafeTensorsFile {
        let header = "{" + entries.joined(separator: ",") + "}"
        return try SafeTensorsFile(
            bytes: HandMadeSafetensors.file(header: header, data: [UInt8](repeating: 0, count: dataBytes)), path: "f")
    }

    /// The reference library's rule: sorted by offset, the tensors tile the data section.
    @Test func offsetsMustTileTheDataSectionExactly() throws {
        #expect(try Self.open([Self.entry("b", 8, 16), Self.entry("a", 0, 8)], dataBytes: 16).keys == ["a", "b"])
        #expect(throws: WeightsError.invalidHeader(
            file: "f",
            reason: "invalid offsets for tensor 'b': data_offsets [4, 12] overlaps tensor 'a', which ends at 8; "
                + "tensors must follow each other in the data section without gaps or overlaps")
        ) { try Self.open([Self.entry("a", 0, 8), Self.entry("b", 4, 12)], dataBytes: 12) }
        #expect(throws: WeightsError.invalidHeader(
            file: "f",
            reason: "invalid offsets for tensor 'b': data_offsets [0, 8] overlaps tensor 'a', which ends at 8; "
                + "tensors must follow each other in the data section without gaps or overlaps")
        ) { try Self.open([Self.entry("a", 0, 8), Self.entry("b", 0, 8)], dataBytes: 8) }
        #expect(throws: WeightsError.invalidHeader(
            file: "f",
            reason: "invalid offsets for tensor 'b': data_offsets [12, 20] leaves a gap after byte 8; "
                + "tensors must follow each other in the data section without gaps or overlaps")
        ) { try Self.open([Self.entry("a", 0, 8), Self.entry("b", 12, 20)], dataBytes: 20) }
        #expect(throws: WeightsError.invalidHeader(
            file: "f", reason: "the tensors cover 8 bytes of a 12-byte data section; 4 bytes after the last tensor belong to none")
        ) { try Self.open([Self.entry("a", 0, 8)], dataBytes: 12) }
    }

    @Test func headersWithTooManyEntriesOrValuesAreRefusedBeforeParsing() throws {
        let many = (0...SafeTensorsHeader.maximumEntries).map { Self.entry("t\($0)", 0, 0) }
        #expect(throws: WeightsError.invalidHeader(file: "f", reason: "the header describes more than 65536 tensors")) {
            try Self.open(many, dataBytes: 0)
        }
        let longShape = #""a":{"dtype":"F32","shape":["# + String(repeating: "1,", count: 1_000_000) + #"1],"data_offsets":[0,4]}"#
        #expect(throws: WeightsError.invalidHeader(file: "f", reason: "the header holds more than 1000000 JSON values")) {
            try Self.open([longShape], dataBytes: 4)
        }
        let deep = #""a":{"dtype":"F32","shape":[[1]],"data_offsets":[0,4]}"#
        #expect(throws: WeightsError.invalidHeader(file: "f", reason: "the header nests deeper than 3 levels")) {
            try Self.open([deep], dataBytes: 4)
        }
        // Brackets inside strings are text, not structure.
        let quoted = #""[[[{{{":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#
        #expect(try Self.open([quoted], dataBytes: 4).keys == ["[[[{{{"])
    }

    // MARK: - npy

    @Test func npyHeadersOverNumpysLimitAreRefusedBeforeDecoding() {
        // A version 2.0 preamble declaring a 100 MB header, and nothing after it.
        let preamble: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 2, 0] + [0x00, 0xE1, 0xF5, 0x05]
        #expect(throws: NpyError.malformedHeader(file: "h.npy", reason: "header of 100000000 bytes is over numpy's limit of 10000")) {
            try Npy.decode(preamble, file: "h.npy")
        }
        let dims = "(" + String(repeating: "1, ", count: 33) + ")"
        let text = "{'descr': '<f4', 'fortran_order': False, 'shape': \(dims), }"
        let header = Array(text.utf8) + [0x0A]
        let file: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(header.count & 0xFF), UInt8(header.count >> 8)]
            + header + [0, 0, 0, 0]
        #expect(throws: NpyError.malformedHeader(file: "d.npy", reason: "33 dimensions, more than numpy's 32")) {
            try Npy.decode(file, file: "d.npy")
        }
    }
}
