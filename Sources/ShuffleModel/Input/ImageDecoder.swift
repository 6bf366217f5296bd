import CImageCodecs

/// Turns encoded PNG, JPEG and PPM files into `RGBImage`s.
///
/// PNG and JPEG go through the C shim (system libpng and libjpeg); see `CImageCodecs.h` for the
/// conversions (gray → RGB, palette expanded, 16-bit → high byte, alpha dropped; CMYK JPEG
/// rejected). PPM is parsed here.
///
/// For 8-bit PNG and for JPEG the pixels equal what Pillow's `Image.open(...).convert("RGB")`
/// gives, which both preprocessing pipelines start from (checked on the bundled photos). Like
/// Pillow, EXIF orientation is not applied. One deliberate difference: Pillow clips 16-bit
/// grayscale PNGs to 255 (nearly all white), while this keeps the high byte.
public enum ImageDecoder {
    /// Decodes `bytes` after recognising the format from its first bytes. `file` names the
    /// input in errors. `.npy` data is not an image and is rejected as unrecognised here.
    public static func decode(_ bytes: [UInt8], file: String) throws(InputError) -> RGBImage {
        let image: RGBImage
        switch InputFormat.detect(bytes) {
        case .png:
            image = try decodeWithC(bytes, file: file, format: .png, decoder: sc_decode_png)
        case .jpeg:
            image = try decodeWithC(bytes, file: file, format: .jpeg, decoder: sc_decode_jpeg)
        case .ppm:
            do {
                image = try PPMDecoder.decode(bytes)
            } catch {
                throw .decodeFailed(file: file, format: .ppm, reason: error.reason)
            }
        case .npy, nil:
            throw .unrecognizedFormat(file: file, leadingBytes: Array(bytes.prefix(8)))
        }
        guard image.width > 0, image.height > 0 else {
            throw .emptyImage(file: file, width: image.width, height: image.height)
        }
        return image
    }

    private typealias CDecoder = (UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<sc_image>?, UnsafeMutablePointer<CChar>?, Int) -> Int32

    private static func decodeWithC(
        _ bytes: [UInt8], file: String, format: InputFormat, decoder: CDecoder
    ) throws(InputError) -> RGBImage {
        var decoded = sc_image(pixels: nil, width: 0, height: 0)
        defer { sc_image_free(&decoded) }
        var message = [CChar](repeating: 0, count: 256)
        let status = bytes.withUnsafeBufferPointer { data in
            message.withUnsafeMutableBufferPointer { text in
                decoder(data.baseAddress, data.count, &decoded, text.baseAddress, text.count)
            }
        }
        guard status == 0 else {
            let reason = message.withUnsafeBufferPointer { text in
                String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            throw .decodeFailed(file: file, format: format, reason: reason.isEmpty ? "unknown error" : reason)
        }
        let width = decoded.width
        let height = decoded.height
        let pixels: [UInt8] = decoded.pixels.map { Array(UnsafeBufferPointer(start: $0, count: width * height * 3)) } ?? []
        guard let image = RGBImage(width: width, height: height, pixels: pixels) else {
            throw .decodeFailed(file: file, format: format, reason: "decoder returned \(width)×\(height) without pixels")
        }
        return image
    }
}
