import Foundation
import Testing

/// Commands run under an address-space cap (`ulimit -v`) that keeping every step's output would
/// exceed, so they pass only if they run in bounded memory; and hostile inputs that used to
/// allocate gigabytes. The cap also keeps a regression from eating the machine.
///
/// The debug binary needs about 80 MB of address space to start (shared libraries, runtime). At
/// 640² a 0.5× g=3 pass keeps 96 MB of outputs step by step, but its fast path needs 12 MB
/// and streaming to disk 15 MB (see `shufflescope summary`), so a 128 MB cap separates them.
@Suite struct MemoryCapTests {
    static let capKilobytes = 128 * 1024
    static let network = ["--width", "0.5", "--groups", "3", "--input-size", "640"]

    /// `shufflescope arguments` with the address space capped at `kilobytes`.
    static func runCapped(_ arguments: [String], kilobytes: Int = capKilobytes, seconds: Double = 240) throws -> Subprocess.Result {
        try Subprocess.run(
            "/bin/sh", ["-c", "ulimit -v \(kilobytes) && exec \"$0\" \"$@\"", try ShufflescopeBinary.url().path] + arguments,
            seconds: seconds)
    }

    @Test func inferRunsTheFastPathUnderTheCap() throws {
        let result = try Self.runCapped(["infer", "--top", "1"] + Self.network)
        #expect(result.status == 0, "\(result.errorOutput)")
        #expect(result.output.contains("(fast path)"))
    }

    @Test func dumpStreamsEveryStepUnderTheCap() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dump-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        // A temporary file left by a dump killed earlier (its process, 2^22 + 1, cannot exist).
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let stale = directory.appendingPathComponent(".000_stem.conv.npy.4194305-12345.tmp")
        try Data([1, 2, 3]).write(to: stale)
        let result = try Self.runCapped(["infer", "--top", "1", "--dump", directory.path] + Self.network)
        #expect(result.status == 0, "\(result.errorOutput)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(files.filter { $0.hasSuffix(".npy") }.count == 87)
        #expect(files.contains("index.json"))
        #expect(!files.contains { $0.hasSuffix(".tmp") }, "\(files.filter { $0.hasSuffix(".tmp") })")
    }

    /// Keeping every output does not fit: the cap really separates the modes.
    @Test func keepingEveryOutputDoesNotFitTheCap() throws {
        let result = try Self.runCapped(["bench", "--keep-outputs", "--runs", "1", "--warmup", "0"] + Self.network)
        #expect(result.status != 0)
    }

    /// Strips that once made the resize materialise gigabytes (1×20000 PNG: 4.1 GB;
    /// 100000×1 PPM: a failed 11–20 GB allocation) now preprocess only the 224² crop.
    @Test(arguments: ["strip.png", "strip.ppm"])
    func extremeAspectRatiosRunUnderTheCap(name: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("strip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(name)
        if name.hasSuffix(".png") {
            try Data(StripImages.png(width: 1, height: 20_000)).write(to: file)
        } else {
            try Data(StripImages.ppm(width: 100_000, height: 1)).write(to: file)
        }
        for preprocess in ["authors", "torchvision"] {
            let result = try Self.runCapped(
                ["infer", "--top", "1", "--width", "0.5", "--input", file.path, "--preprocess", preprocess])
            #expect(result.status == 0, "\(preprocess): \(result.errorOutput)")
        }
    }
}

/// Minimal image files for the end-to-end tests (the model tests have a fuller set).
enum StripImages {
    static func ppm(width: Int, height: Int) -> [UInt8] {
        var bytes = Array("P6\n\(width) \(height)\n255\n".utf8)
        for index in 0..<(width * height) { bytes += [UInt8(index % 251), 90, UInt8(index % 7)] }
        return bytes
    }

    /// 8-bit RGB, one IDAT of stored deflate blocks.
    static func png(width: Int, height: Int) -> [UInt8] {
        var raw: [UInt8] = []
        for y in 0..<height {
            raw.append(0)
            for x in 0..<width { raw += [UInt8((x + y) % 256), 90, 7] }
        }
        var zlib: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let count = min(65_535, raw.count - offset)
            zlib.append(offset + count == raw.count ? 1 : 0)
            zlib += [UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            zlib += raw[offset..<(offset + count)]
            offset += count
        } while offset < raw.count
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in raw { a = (a + UInt32(byte)) % 65_521; b = (b + a) % 65_521 }
        zlib += bigEndian(b << 16 | a)
        let header = bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [8, 2, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", zlib)
            + chunk("IEND", [])
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in body {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return bigEndian(UInt32(data.count)) + body + bigEndian(~crc)
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
