/// An 8-bit RGB image: rows top to bottom, pixels left to right, 3 bytes (R, G, B) per pixel.
public struct RGBImage: Equatable, Sendable {
    public var width: Int
    public var height: Int
    /// `width * height * 3` bytes, interleaved R, G, B.
    public var pixels: [UInt8]

    /// Returns nil unless `pixels.count == width * height * 3` with non-negative sizes.
    public init?(width: Int, height: Int, pixels: [UInt8]) {
        guard width >= 0, height >= 0, pixels.count == width * height * 3 else { return nil }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The byte of channel `channel` (0 = R, 1 = G, 2 = B) at column `x`, row `y`.
    @inlinable
    public subscript(x: Int, y: Int, channel: Int) -> UInt8 {
        pixels[(y * width + x) * 3 + channel]
    }
}
