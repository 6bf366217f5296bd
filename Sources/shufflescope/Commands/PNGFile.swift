import CImageCodecs
import Foundation
import Inspector

/// Writes pictures as PNG through the libpng shim.
enum PNGFile {
    struct WriteError: Error, CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "cannot write PNG \(path): \(reason)" }
    }

    static func write(_ picture: RGBPicture, to path: String) throws {
        guard picture.pixels.count == picture.width * picture.height * 3 else {
            throw WriteError(path: path, reason: "\(picture.pixels.count) bytes for \(picture.width)×\(picture.height) RGB")
        }
        var message = [CChar](repeating: 0, count: 256)
        let status = picture.pixels.withUnsafeBufferPointer { pixels in
            sc_write_png_rgb(path, pixels.baseAddress, picture.width, picture.height, &message, message.count)
        }
        guard status == 0 else { throw WriteError(path: path, reason: String(cString: message)) }
    }
}
