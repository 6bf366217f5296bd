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
///
/// Every decoder reads the declared size first and refuses images over `maximumPixels` before
/// allocating their pixels, like Pillow's decompression-bomb limit.
public enum ImageDecoder {
    /// The default pixel budget: 64 Mi pixels (192 MiB of RGB), e.g. 8192 × 8192. Pillow warns
    /// at 89 M pixels and refuses twice that.
    public static let defaultMaximumPixels = 1 << 26

    /// Decodes `bytes` after recognising the format from its first bytes. `file` names the
    /// input in errors. `.npy` data is not an image and is rejected as unrecognised here.
    public static func decode(
        _ bytes: [UInt8], file: String, maximumPixels: Int = defaultMaximumPixels
    ) throws(InputError) -> RGBImage {
        let image: RGBImage
        switch InputFormat.detect(bytes) {
        case .png:
            image = try decodeWithC(bytes, file: file, format: .png, maximumPixels: maximumPixels, decoder: sc_decode_png)
        case .jpeg:
            do {
                try JPEGSegments.check(bytes)
            } catch {
                throw .decodeFailed(file: file, format: .jpeg, reason: error.reason)
            }
            image = try decodeWithC(bytes, file: file, format: .jpeg, maximumPixels: maximumPixels, decoder: sc_decode_jpeg)
        case .ppm:
            do {
                image = try PPMDecoder.decode(bytes, maximumPixels: maximumPixels)
            } catch ImageFormatError.tooLarge(let width, let height) {
                throw .imageTooLarge(file: file, format: .ppm, width: width, height: height, limit: maximumPixels)
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

    private typealias CDecoder = (
        UnsafePointer<UInt8>?, Int, Int, UnsafeMutablePointer<sc_image>?, UnsafeMutablePointer<CChar>?, Int
    ) -> Int32

    private static func decodeWithC(
        _ bytes: [UInt8], file: String, format: InputFormat, maximumPixels: Int, decoder: CDecoder
    ) throws(InputError) -> RGBImage {
        var decoded = sc_image(pixels: nil, width: 0, height: 0)
        defer { sc_image_free(&decoded) }
        var message = [CChar](repeating: 0, count: 256)
        let status = bytes.withUnsafeBufferPointer { data in
            message.withUnsafeMutableBufferPointer { text in
                decoder(data.baseAddress, data.count, max(0, maximumPixels), &decoded, text.baseAddress, text.count)
            }
        }
        if status == SC_TOO_LARGE {
            throw .imageTooLarge(
                file: file, format: format, width: decoded.width, height: decoded.height, limit: maximumPixels)
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
