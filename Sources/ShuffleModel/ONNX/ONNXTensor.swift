import Foundation

/// A constant tensor of an ONNX graph (an initializer, a `Constant`, or a shape worked out from
/// the input size): its dimensions and its values, as integers or as floats.
///
/// Shapes and indices stay `Int` (ONNX's int64 and int32 both fit); weights are `Float`
/// (float16 and double are converted). Element `i` of a tensor of dims `[d0, …, dk]` is the
/// row-major element, as in ONNX's `raw_data`.
struct ONNXTensor: Sendable, Equatable {
    enum Values: Sendable, Equatable {
        case integers([Int])
        case floats([Float])
    }

    var dims: [Int]
    var values: Values

    init(dims: [Int], values: Values) {
        self.dims = dims
        self.values = values
    }

    init(integers: [Int], dims: [Int]? = nil) {
        self.init(dims: dims ?? [integers.count], values: .integers(integers))
    }

    /// Element count of `dims` (1 for a scalar).
    var count: Int { dims.reduce(1, *) }

    /// The values as integers (floats are truncated, as ONNX's Cast does).
    var integers: [Int] {
        switch values {
        case .integers(let values): return values
        case .floats(let values): return values.map { $0.isFinite ? Int(max(min($0, 9.0e18), -9.0e18)) : 0 }
        }
    }

    /// The values as floats.
    var floats: [Float] {
        switch values {
        case .integers(let values): return values.map { Float($0) }
        case .floats(let values): return values
        }
    }

    var isInteger: Bool {
        if case .integers = values { return true }
        return false
    }

    /// The same values with other dims of the same count.
    func reshaped(_ dims: [Int]) -> ONNXTensor { ONNXTensor(dims: dims, values: values) }

    /// The elements at these flat positions, as a tensor of `dims`.
    func picking(_ positions: [Int], dims: [Int]) -> ONNXTensor {
        switch values {
        case .integers(let values): return ONNXTensor(dims: dims, values: .integers(positions.map { values[$0] }))
        case .floats(let values): return ONNXTensor(dims: dims, values: .floats(positions.map { values[$0] }))
        }
    }

    /// The element count of `dims`, or nil when a dim is negative or the product passes `limit`
    /// (checked before anything of that size is allocated).
    static func elementCount(_ dims: [Int], limit: Int) -> Int? {
        var count = 1
        for dim in dims {
            guard dim >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow, product <= limit else { return nil }
            count = product
        }
        return count
    }
}

/// Row-major strides of `dims`.
func rowMajorStrides(_ dims: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: dims.count)
    var stride = 1
    for axis in dims.indices.reversed() {
        strides[axis] = stride
        stride *= dims[axis]
    }
    return strides
}
