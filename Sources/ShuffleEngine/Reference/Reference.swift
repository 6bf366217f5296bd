import Foundation

/// Plain, obviously correct implementations of every op. They define what the optimised
/// kernels must compute, and tests compare the two over grids of shapes.
public enum Reference {
    /// Runs `op` on `inputs` and returns a new tensor of `outputShape`.
    public static func run(_ op: Op, inputs: [Tensor], outputShape: Shape) -> Tensor {
        switch op {
        case .convolution(let conv): return convolution(conv, inputs[0], outputShape)
        case .maxPool(let window): return maxPool(window, inputs[0], outputShape)
        case .averagePool(let window): return averagePool(window, inputs[0], outputShape)
        case .globalAveragePool: return globalAveragePool(inputs[0])
        case .channelShuffle(let groups, let convention):
            return channelShuffle(inputs[0], groups: groups, convention: convention)
        case .add(let relu): return add(inputs[0], inputs[1], relu: relu)
        case .concat(let relu): return concat(inputs, relu: relu)
        case .channelSlice(let start, let count): return channelSlice(inputs[0], start: start, count: count)
        case .linear(let linear): return self.linear(linear, inputs[0])
        case .softmax: return softmax(inputs[0])
        }
    }

    public static func convolution(_ conv: Convolution, _ x: Tensor, _ outShape: Shape) -> Tensor {
        var y = Tensor(zeros: outShape)
        let inPerGroup = conv.inputChannels / conv.groups
        let outPerGroup = conv.outputChannels / conv.groups
        let k = conv.kernelSize
        for n in 0..<outShape.n {
            for oc in 0..<conv.outputChannels {
                let g = oc / outPerGroup
                for oy in 0..<outShape.h {
                    for ox in 0..<outShape.w {
                        var sum = Double(conv.bias[oc])
                        for icg in 0..<inPerGroup {
                            let ic = g * inPerGroup + icg
                            for ky in 0..<k {
                                let iy = oy * conv.stride - conv.padding + ky
                                if iy < 0 || iy >= x.shape.h { continue }
                                for kx in 0..<k {
                                    let ix = ox * conv.stride - conv.padding + kx
                                    if ix < 0 || ix >= x.shape.w { continue }
                                    let w = conv.weight[((oc * inPerGroup + icg) * k + ky) * k + kx]
                                    sum += Double(w) * Double(x[n, ic, iy, ix])
                                }
                            }
                        }
                        let v = Float(sum)
                        y[n, oc, oy, ox] = conv.relu ? max(v, 0) : v
                    }
                }
            }
        }
        return y
    }

    public static func maxPool(_ window: PoolWindow, _ x: Tensor, _ outShape: Shape) -> Tensor {
        var y = Tensor(zeros: outShape)
        for n in 0..<outShape.n {
            for c in 0..<outShape.c {
                for oy in 0..<outShape.h {
                    for ox in 0..<outShape.w {
                        var best = -Float.infinity
                        for ky in 0..<window.kernelSize {
                            for kx in 0..<window.kernelSize {
                                let iy = oy * window.stride - window.padding + ky
                                let ix = ox * window.stride - window.padding + kx
                                if iy < 0 || ix < 0 || iy >= x.shape.h || ix >= x.shape.w { continue }
                                best = max(best, x[n, c, iy, ix])
                            }
                        }
                        y[n, c, oy, ox] = best
                    }
                }
            }
        }
        return y
    }

    /// PyTorch `AvgPool2d` default: padded cells count in the divisor (`count_include_pad`),
    /// but the window is clipped to the padded input.
    public static func averagePool(_ window: PoolWindow, _ x: Tensor, _ outShape: Shape) -> Tensor {
        var y = Tensor(zeros: outShape)
        for n in 0..<outShape.n {
            for c in 0..<outShape.c {
                for oy in 0..<outShape.h {
                    for ox in 0..<outShape.w {
                        let y0 = oy * window.stride - window.padding
                        let x0 = ox * window.stride - window.padding
                        let y1 = min(y0 + window.kernelSize, x.shape.h + window.padding)
                        let x1 = min(x0 + window.kernelSize, x.shape.w + window.padding)
                        let divisor = window.countsPadding
                            ? (y1 - y0) * (x1 - x0)
                            : (min(y1, x.shape.h) - max(y0, 0)) * (min(x1, x.shape.w) - max(x0, 0))
                        var sum = 0.0
                        for iy in max(y0, 0)..<min(y1, x.shape.h) {
                            for ix in max(x0, 0)..<min(x1, x.shape.w) { sum += Double(x[n, c, iy, ix]) }
                        }
                        y[n, c, oy, ox] = Float(sum / Double(divisor))
                    }
                }
            }
        }
        return y
    }

    public static func globalAveragePool(_ x: Tensor) -> Tensor {
        var y = Tensor(zeros: Shape(n: x.shape.n, c: x.shape.c, h: 1, w: 1))
        for n in 0..<x.shape.n {
            for c in 0..<x.shape.c {
                let sum = x.plane(n: n, channel: c).reduce(0.0) { $0 + Double($1) }
                y[n, c, 0, 0] = Float(sum / Double(x.shape.plane))
            }
        }
        return y
    }

    /// The input channel that lands in output channel `out` under `convention`.
    public static func shuffleSource(of out: Int, channels: Int, groups: Int, convention: ShuffleConvention) -> Int {
        let n = channels / groups
        switch convention {
        case .paper:  // out = j·g + i  <-  in = i·n + j
            let j = out / groups, i = out % groups
            return i * n + j
        case .authors:  // out = i·n + j  <-  in = j·g + i
            let i = out / n, j = out % n
            return j * groups + i
        case .disabled:
            return out
        }
    }

    public static func channelShuffle(_ x: Tensor, groups: Int, convention: ShuffleConvention) -> Tensor {
        var y = Tensor(zeros: x.shape)
        for n in 0..<x.shape.n {
            for c in 0..<x.shape.c {
                let src = shuffleSource(of: c, channels: x.shape.c, groups: groups, convention: convention)
                let to = (n * x.shape.c + c) * x.shape.plane
                let from = (n * x.shape.c + src) * x.shape.plane
                for p in 0..<x.shape.plane { y.storage[to + p] = x.storage[from + p] }
            }
        }
        return y
    }

    public static func add(_ a: Tensor, _ b: Tensor, relu: Bool) -> Tensor {
        var y = a
        for i in 0..<y.storage.count {
            let v = a.storage[i] + b.storage[i]
            y.storage[i] = relu ? max(v, 0) : v
        }
        return y
    }

    public static func concat(_ inputs: [Tensor], relu: Bool) -> Tensor {
        let first = inputs[0].shape
        let channels = inputs.reduce(0) { $0 + $1.shape.c }
        var y = Tensor(zeros: Shape(n: first.n, c: channels, h: first.h, w: first.w))
        for n in 0..<first.n {
            var base = 0
            for t in inputs {
                for c in 0..<t.shape.c {
                    for p in 0..<first.plane {
                        let v = t.storage[(n * t.shape.c + c) * first.plane + p]
                        y.storage[(n * channels + base + c) * first.plane + p] = relu ? max(v, 0) : v
                    }
                }
                base += t.shape.c
            }
        }
        return y
    }

    public static func linear(_ linear: Linear, _ x: Tensor) -> Tensor {
        var y = Tensor(zeros: Shape(n: x.shape.n, c: linear.outputFeatures, h: 1, w: 1))
        for n in 0..<x.shape.n {
            for o in 0..<linear.outputFeatures {
                var sum = Double(linear.bias[o])
                for i in 0..<linear.inputFeatures {
                    sum += Double(linear.weight[o * linear.inputFeatures + i]) * Double(x.storage[n * linear.inputFeatures + i])
                }
                y.storage[n * linear.outputFeatures + o] = Float(sum)
            }
        }
        return y
    }

    /// Softmax over the channels of each batch item (numerically stable).
    public static func softmax(_ x: Tensor) -> Tensor {
        var y = x
        let width = x.shape.item
        for n in 0..<x.shape.n {
            let row = x.storage[(n * width)..<((n + 1) * width)]
            let m = row.max() ?? 0
            let exps = row.map { Foundation.exp(Double($0 - m)) }
            let total = exps.reduce(0, +)
            for (i, e) in exps.enumerated() { y.storage[n * width + i] = Float(e / total) }
        }
        return y
    }

    /// Channels `start ..< start + count` of `x`, element by element.
    public static func channelSlice(_ x: Tensor, start: Int, count: Int) -> Tensor {
        let shape = Shape(n: x.shape.n, c: count, h: x.shape.h, w: x.shape.w)
        var y = Tensor(zeros: shape)
        for n in 0..<shape.n {
            for c in 0..<count {
                for i in 0..<shape.plane {
                    y.storage[(n * count + c) * shape.plane + i] = x.storage[(n * x.shape.c + start + c) * shape.plane + i]
                }
            }
        }
        return y
    }
}
