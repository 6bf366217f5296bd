/// The shape of an NCHW tensor: batch, channels, height, width.
///
/// Vectors (logits, probabilities) are stored as `[n, c, 1, 1]`.
public struct Shape: Hashable, Sendable, CustomStringConvertible {
    public var n: Int
    public var c: Int
    public var h: Int
    public var w: Int

    public init(n: Int, c: Int, h: Int, w: Int) {
        self.n = n
        self.c = c
        self.h = h
        self.w = w
    }

    /// Number of elements in one spatial plane (`h * w`).
    public var plane: Int { h * w }
    /// Number of elements in one batch item (`c * h * w`).
    public var item: Int { c * h * w }
    /// Total number of elements.
    public var count: Int { n * c * h * w }
    /// The dimensions as an array, `[n, c, h, w]`.
    public var dims: [Int] { [n, c, h, w] }

    /// `[1, 3, 224, 224]` style.
    public var description: String { "[\(n), \(c), \(h), \(w)]" }

    /// `3×224×224` style, without the batch.
    public var compactDescription: String {
        if h == 1 && w == 1 { return "\(c)" }
        return "\(c)×\(h)×\(w)"
    }
}
