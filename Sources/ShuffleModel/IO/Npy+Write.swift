import Foundation
import ShuffleEngine

extension Npy {
    /// The bytes of a version 1.0 `.npy` file holding `array` as little-endian float32, exactly as
    /// `numpy.save` lays them out: header padded with spaces so the data starts at a multiple of
    /// 64 bytes. (Version 2.0 is used only if the header would exceed 65,535 bytes.)
    ///
    /// Throws `valueCountMismatch` when `array.values.count` is not the product of its shape;
    /// `file` names the array in that error.
    public static func encode(_ array: NpyArray, file: String = "<array>") throws(NpyError) -> [UInt8] {
        var expected = 1
        for dimension in array.shape {
            let (product, overflow) = expected.multipliedReportingOverflow(by: dimension)
            if dimension < 0 || overflow { expected = -1; break }
            expected = product
        }
        guard expected == array.values.count else {
            throw .valueCountMismatch(file: file, shape: array.shape, valueCount: array.values.count)
        }

        let dictionary = Array(NpyHeader(descr: "<f4", fortranOrder: false, shape: array.shape).text.utf8)
        let alignment = 64
        var preambleLength = magic.count + 2 + 2
        var total = preambleLength + dictionary.count + 1
        if (total + alignment - 1) / alignment * alignment - preambleLength > Int(UInt16.max) {
            preambleLength = magic.count + 2 + 4
            total = preambleLength + dictionary.count + 1
        }
        let padded = (total + alignment - 1) / alignment * alignment
        let headerLength = padded - preambleLength

        var bytes = magic
        bytes.reserveCapacity(padded + 4 * array.values.count)
        if preambleLength == 10 {
            bytes += [1, 0, UInt8(headerLength & 0xFF), UInt8(headerLength >> 8)]
        } else {
            bytes += [2, 0] + (0..<4).map { UInt8((headerLength >> (8 * $0)) & 0xFF) }
        }
        bytes += dictionary
        bytes += [UInt8](repeating: 0x20, count: padded - total)
        bytes.append(0x0A)
        for value in array.values {
            let bits = value.bitPattern.littleEndian
            bytes += [UInt8(bits & 0xFF), UInt8((bits >> 8) & 0xFF), UInt8((bits >> 16) & 0xFF), UInt8(bits >> 24)]
        }
        return bytes
    }

    /// Writes `array` to `url` as float32, atomically (see `AtomicFile`).
    public static func write(_ array: NpyArray, to url: URL) throws(NpyError) {
        let bytes = try encode(array, file: url.path)
        do {
            try AtomicFile.write(bytes, to: url)
        } catch {
            throw .fileSystem(error)
        }
    }

    /// Writes a tensor with its full shape `[n, c, h, w]`. For logits `[n, classes, 1, 1]` that
    /// numpy should see as `[n, classes]`, write `NpyArray(shape: [n, classes], values:)` instead.
    public static func write(_ tensor: Tensor, to url: URL) throws(NpyError) {
        try write(NpyArray(shape: tensor.shape.dims, values: tensor.storage), to: url)
    }
}
