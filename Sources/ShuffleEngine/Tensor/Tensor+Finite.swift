/// Where a tensor stops being finite.
public struct NonFiniteValue: Equatable, Sendable, CustomStringConvertible {
    /// NCHW position of the first NaN or infinity in storage order.
    public var position: [Int]
    public var value: Float
    /// How many values of the tensor are NaN or infinite.
    public var count: Int

    public init(position: [Int], value: Float, count: Int) {
        self.position = position
        self.value = value
        self.count = count
    }

    /// `NaN at [0, 1, 2, 3] (5 non-finite values)`.
    public var description: String {
        let name = value.isNaN ? "NaN" : (value > 0 ? "+inf" : "-inf")
        return "\(name) at \(position)" + (count > 1 ? " (\(count) non-finite values)" : "")
    }
}

extension Tensor {
    /// The first NaN or infinity in storage order and how many there are, or nil when every
    /// value is finite.
    public func firstNonFinite() -> NonFiniteValue? {
        guard let first = storage.firstIndex(where: { !$0.isFinite }) else { return nil }
        let count = storage[first...].reduce(0) { $0 + ($1.isFinite ? 0 : 1) }
        let dims = shape.dims
        var position = [Int](repeating: 0, count: dims.count)
        var remainder = first
        for axis in dims.indices.reversed() where dims[axis] > 0 {
            position[axis] = remainder % dims[axis]
            remainder /= dims[axis]
        }
        return NonFiniteValue(position: position, value: storage[first], count: count)
    }
}
