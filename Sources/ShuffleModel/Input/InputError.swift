import ShuffleEngine

/// Why an input file could not become a network input. Every case names the file.
public enum InputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or read.
    case fileSystem(FileIOError)
    /// The first bytes match none of PNG, JPEG, PPM (P6) or `.npy`.
    case unrecognizedFormat(file: String, leadingBytes: [UInt8])
    /// The decoder rejected the file: corrupt, truncated or an unsupported variant.
    case decodeFailed(file: String, format: InputFormat, reason: String)
    /// The image has no pixels.
    case emptyImage(file: String, width: Int, height: Int)
    /// A `.npy` file that could not be read.
    case npy(NpyError)
    /// A `.npy` array that is not one 3-channel image.
    case unsupportedArrayShape(file: String, shape: [Int])
    /// A `.npy` input holding NaN or infinity (refused like non-finite weights).
    case nonFiniteInput(file: String, value: NonFiniteValue)
    /// A crop size of zero or less.
    case invalidCropSize(Int)
    /// A crop size above `Preprocessing.maximumCropSize`.
    case cropSizeTooLarge(Int, maximum: Int)
    /// An image whose header asks for more pixels than the decoding budget allows (a
    /// decompression bomb, or simply too large); refused before its pixels are allocated.
    case imageTooLarge(file: String, format: InputFormat, width: Int, height: Int, limit: Int)

    public var description: String {
        switch self {
        case .fileSystem(let error):
            return error.description
        case .unrecognizedFormat(let file, let leadingBytes):
            let hex = leadingBytes.map { String($0, radix: 16, uppercase: true) }
                .map { $0.count == 1 ? "0" + $0 : $0 }.joined(separator: " ")
            return "\(file): unrecognized file format (starts with \(hex.isEmpty ? "nothing: the file is empty" : hex)); expected PNG, JPEG, binary PPM (P6) or .npy"
        case .decodeFailed(let file, let format, let reason):
            return "\(file): cannot decode \(format.rawValue): \(reason)"
        case .emptyImage(let file, let width, let height):
            return "\(file): image is empty (\(width)×\(height) pixels)"
        case .npy(let error):
            return error.description
        case .unsupportedArrayShape(let file, let shape):
            return "\(file): array of shape \(shape) is not an image: expected [1, 3, H, W] or [3, H, W] with H, W > 0"
        case .nonFiniteInput(let file, let value):
            return "\(file): the input holds \(value); inputs must be finite"
        case .invalidCropSize(let size):
            return "crop size \(size) must be positive"
        case .cropSizeTooLarge(let size, let maximum):
            return "crop size \(size) is larger than the largest supported, \(maximum)"
        case .imageTooLarge(let file, let format, let width, let height, let limit):
            let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
            let count = overflow ? "more than \(Int.max)" : "\(pixels)"
            return "\(file): \(format.rawValue) image of \(width)×\(height) pixels (\(count)) is over the limit of \(limit) pixels"
        }
    }
}
