/// The input files the program understands, recognised by their first bytes (never by the
/// file name's extension).
public enum InputFormat: String, Sendable, CaseIterable {
    case png = "PNG"
    case jpeg = "JPEG"
    /// Binary portable pixmap, `P6`, maxval 255.
    case ppm = "PPM"
    /// A float array in numpy's `.npy` format, used as the network input as it is.
    case npy = "NPY"

    /// The format whose signature `bytes` start with, or nil.
    public static func detect(_ bytes: [UInt8]) -> InputFormat? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if Npy.hasMagic(bytes) { return .npy }
        // "P6" then whitespace; "P3" (ASCII) and the other Netpbm kinds are not recognised.
        if bytes.count >= 3, bytes[0] == UInt8(ascii: "P"), bytes[1] == UInt8(ascii: "6"),
            PPMDecoder.isSpace(bytes[2])
        {
            return .ppm
        }
        return nil
    }
}
