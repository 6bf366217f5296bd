/// Why an op cannot run on the shapes it was given.
public struct ShapeError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Op {
    /// The output shape for these input shapes, or a `ShapeError` naming the mismatch.
    public func outputShape(for inputs: [Shape]) throws(ShapeError) -> Shape {
        guard let first = inputs.first else { throw ShapeError("\(kind) needs an input") }
        switch self {
        case .convolution(let conv):
            guard first.c == conv.inputChannels else {
                throw ShapeError("\(kind) expects \(conv.inputChannels) input channels, got \(first.c)")
            }
            let h = conv.outputSize(first.h), w = conv.outputSize(first.w)
            guard h >= 1, w >= 1 else {
                throw ShapeError("\(kind) kernel \(conv.kernelSize) does not fit a \(first.h)×\(first.w) input")
            }
            return Shape(n: first.n, c: conv.outputChannels, h: h, w: w)
        case .maxPool(let window), .averagePool(let window):
            let h = window.outputSize(first.h), w = window.outputSize(first.w)
            guard h >= 1, w >= 1 else {
                throw ShapeError("\(kind) window \(window.kernelSize) does not fit a \(first.h)×\(first.w) input")
            }
            return Shape(n: first.n, c: first.c, h: h, w: w)
        case .globalAveragePool:
            return Shape(n: first.n, c: first.c, h: 1, w: 1)
        case .channelShuffle(let groups, _):
            guard groups >= 1, first.c % groups == 0 else {
                throw ShapeError("shuffle of \(groups) groups needs channels divisible by it, got \(first.c)")
            }
            return first
        case .add:
            guard inputs.count == 2, inputs[0] == inputs[1] else {
                throw ShapeError("add needs two inputs of one shape, got \(inputs)")
            }
            return first
        case .concat:
            guard inputs.allSatisfy({ $0.n == first.n && $0.h == first.h && $0.w == first.w }) else {
                throw ShapeError("concat needs inputs of one batch and plane size, got \(inputs)")
            }
            return Shape(n: first.n, c: inputs.reduce(0) { $0 + $1.c }, h: first.h, w: first.w)
        case .channelSlice(let start, let count):
            guard start >= 0, count >= 1, start + count <= first.c else {
                throw ShapeError("split of channels \(start)..<\(start + count) does not fit \(first.c) channels")
            }
            return Shape(n: first.n, c: count, h: first.h, w: first.w)
        case .linear(let linear):
            guard first.item == linear.inputFeatures else {
                throw ShapeError("linear expects \(linear.inputFeatures) features, got \(first.item)")
            }
            return Shape(n: first.n, c: linear.outputFeatures, h: 1, w: 1)
        case .softmax:
            return first
        }
    }
}
