/// Height and width of a feature map or input image.
///
/// An integer literal is a square (`224` is 224×224), so square sizes read naturally.
public struct PlaneSize: Hashable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    public var height: Int
    public var width: Int

    public init(height: Int, width: Int) {
        self.height = height
        self.width = width
    }

    /// A `side`×`side` square.
    public init(_ side: Int) { self.init(height: side, width: side) }

    public init(integerLiteral side: Int) { self.init(side) }

    /// `height · width`.
    public var area: Int { height * width }
    /// The smaller side.
    public var shortSide: Int { min(height, width) }
    /// The larger side.
    public var longSide: Int { max(height, width) }
    public var isSquare: Bool { height == width }

    /// `224` for squares, `67×93` otherwise (height first, as in NCHW).
    public var description: String { isSquare ? "\(height)" : "\(height)×\(width)" }
    /// `224×224`, `67×93`.
    public var dimensions: String { "\(height)×\(width)" }

    /// Output size of a 3×3, stride-2, padding-1 window on each axis.
    var halved: PlaneSize {
        PlaneSize(
            height: ShuffleNetConfiguration.halved(height), width: ShuffleNetConfiguration.halved(width))
    }
}
