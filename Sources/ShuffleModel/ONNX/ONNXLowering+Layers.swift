import Foundation
import ShuffleEngine

/// Conv, BatchNormalization, Relu and pooling: the ops of a ShuffleNet's body.
extension ONNXLowering {
    /// A square window from `kernel_shape`, `strides` and `pads`; dilations, `auto_pad` and
    /// `ceil_mode` other than the defaults are errors.
    func window(_ node: ONNXNode, kernel given: [Int]?) throws(ONNXError) -> PoolWindow {
        guard let kernel = try node.ints("kernel_shape") ?? given, kernel.count == 2 else {
            throw node.unsupported("only 2-D windows are read (kernel_shape missing or not 2-D)")
        }
        let strides = try node.ints("strides") ?? [1, 1], pads = try node.ints("pads") ?? [0, 0, 0, 0]
        let dilations = try node.ints("dilations") ?? [1, 1]
        let autoPad = try node.string("auto_pad") ?? "NOTSET"
        guard autoPad == "NOTSET" || (autoPad == "VALID" && pads.allSatisfy { $0 == 0 }) else {
            throw node.unsupported("auto_pad \(autoPad) (only explicit pads are read)")
        }
        guard kernel[0] == kernel[1], kernel[0] >= 1 else { throw node.unsupported("kernel \(kernel) is not square") }
        guard strides.count == 2, strides[0] == strides[1], strides[0] >= 1 else {
            throw node.unsupported("strides \(strides) differ between height and width")
        }
        guard pads.count == 4, pads.allSatisfy({ $0 == pads[0] }), pads[0] >= 0, pads[0] < kernel[0] else {
            throw node.unsupported("pads \(pads) are not the same on every side")
        }
        guard dilations.allSatisfy({ $0 == 1 }) else { throw node.unsupported("dilations \(dilations)") }
        guard try node.int("ceil_mode", default: 0) == 0 else { throw node.unsupported("ceil_mode 1") }
        return PoolWindow(kernelSize: kernel[0], stride: strides[0], padding: pads[0])
    }

    mutating func lowerConvolution(_ node: ONNXNode) throws(ONNXError) {
        let (input, shape) = try tensor(try activation(node, 0), for: node)
        let weight = try constant(node, 1, "weight")
        guard weight.dims.count == 4 else { throw node.unsupported("only 2-D convolutions are read (weight \(weight.dims))") }
        let window = try self.window(node, kernel: Array(weight.dims[2...]))
        let groups = try node.int("group", default: 1)
        let outputs = weight.dims[0]
        guard groups >= 1, outputs % groups == 0, shape.c == weight.dims[1] * groups,
            weight.dims[2] == window.kernelSize, weight.dims[3] == window.kernelSize
        else {
            throw node.invalid("weight \(weight.dims) with group \(groups) does not fit an input of \(shape.c) channels")
        }
        var bias = [Float](repeating: 0, count: outputs)
        if let given = try optionalConstant(node, 2, "bias") {
            guard given.count == outputs else { throw node.invalid("bias of \(given.count) values for \(outputs) outputs") }
            bias = given.floats
        }
        let convolution = Convolution(
            inputChannels: shape.c, outputChannels: outputs, kernelSize: window.kernelSize, stride: window.stride,
            padding: window.padding, groups: groups, relu: false, weight: weight.floats, bias: bias)
        name(try emit(.convolution(convolution), [input], [shape], origin: node.name), as: node.outputs[0])
    }

    /// BatchNormalization folded into the convolution that makes its input:
    /// `s = γ / √(var + ε)`, `w' = s·w`, `b' = s·(b − mean) + β` per output channel.
    mutating func lowerBatchNorm(_ node: ONNXNode) throws(ONNXError) {
        guard try node.int("training_mode", default: 0) == 0, node.outputs.filter({ !$0.isEmpty }).count == 1 else {
            throw node.unsupported("training-mode batch norm (only inference is read)")
        }
        guard let index = foldable(node.inputs[0]), case .convolution(var conv) = nodes[index].op, !conv.relu else {
            throw node.unsupported("its input is not a convolution's output read by it alone, so it cannot be folded")
        }
        let epsilon = Double(try node.float("epsilon", default: 1e-5))
        let fields = try (1...4).map { position throws(ONNXError) in try constant(node, position, "statistics").floats }
        guard fields.allSatisfy({ $0.count == conv.outputChannels }) else {
            throw node.invalid("statistics of \(fields.map(\.count)) values for \(conv.outputChannels) channels")
        }
        let (gamma, beta, mean, variance) = (fields[0], fields[1], fields[2], fields[3])
        let perChannel = conv.weight.count / conv.outputChannels
        // Scaled in a copy and assigned once: each assignment of `weight` repacks it.
        var weight = conv.weight
        for channel in 0..<conv.outputChannels {
            guard variance[channel] >= 0, (Double(variance[channel]) + epsilon) > 0 else {
                throw node.invalid("variance \(variance[channel]) of channel \(channel) is negative")
            }
            let scale = Double(gamma[channel]) / (Double(variance[channel]) + epsilon).squareRoot()
            for i in (channel * perChannel)..<((channel + 1) * perChannel) {
                weight[i] = Float(Double(weight[i]) * scale)
            }
            conv.bias[channel] = Float((Double(conv.bias[channel]) - Double(mean[channel])) * scale + Double(beta[channel]))
        }
        conv.weight = weight
        fold(index, op: .convolution(conv), node: node, output: node.outputs[0])
    }

    /// Relu fused into the convolution, add or concat that makes its input.
    mutating func lowerRelu(_ node: ONNXNode) throws(ONNXError) {
        guard let index = foldable(node.inputs[0]) else {
            throw node.unsupported("its input is not the output of a Conv, Add or Concat read by it alone")
        }
        let fused: Op
        switch nodes[index].op {
        case .convolution(var conv) where !conv.relu:
            conv.relu = true
            fused = .convolution(conv)
        case .add(relu: false): fused = .add(relu: true)
        case .concat(relu: false): fused = .concat(relu: true)
        default: throw node.unsupported("the engine fuses a Relu only into a Conv, Add or Concat")
        }
        fold(index, op: fused, node: node, output: node.outputs[0])
    }

    /// Pad with zeros, the same on every side of each plane: kept on the view for the
    /// AveragePool after it, which then counts the padded cells (`count_include_pad`).
    mutating func lowerPad(_ node: ONNXNode) throws(ONNXError) {
        var view = try activation(node, 0)
        let mode = try node.string("mode") ?? "constant"
        let pads = opset < 11 ? (try node.ints("pads") ?? []) : try constant(node, 1, "pads").integers
        let value = opset < 11 ? try node.float("value", default: 0) : (try optionalConstant(node, 2, "value")?.floats.first ?? 0)
        guard mode == "constant", value == 0, view.isSource, view.pendingPadding == 0, pads.count == 8,
            pads[0] == 0, pads[1] == 0, pads[4] == 0, pads[5] == 0, Set([pads[2], pads[3], pads[6], pads[7]]).count == 1,
            pads[2] > 0
        else {
            throw node.unsupported("only zero padding of height and width, the same on every side, before an AveragePool")
        }
        view.pendingPadding = pads[2]
        view.via.append(node.name)
        set(node.outputs[0], .activation(view))
    }

    mutating func lowerPool(_ node: ONNXNode) throws(ONNXError) {
        var view = try activation(node, 0)
        let padded = view.pendingPadding
        if padded > 0 {
            guard node.op == "AveragePool", try self.window(node, kernel: nil).padding == 0 else {
                throw node.unsupported("it reads a padded tensor; a Pad is read only right before an unpadded AveragePool")
            }
            view.pendingPadding = 0
        }
        let (input, shape) = try tensor(view, for: node)
        let op: Op
        switch node.op {
        case "GlobalAveragePool":
            op = .globalAveragePool
        case "MaxPool":
            guard node.outputs.count == 1 || node.outputs[1].isEmpty else { throw node.unsupported("its Indices output") }
            guard try node.int("storage_order", default: 0) == 0 else { throw node.unsupported("storage_order 1") }
            op = .maxPool(try window(node, kernel: nil))
        default:
            var window = try self.window(node, kernel: nil)
            if padded > 0 {
                guard padded < window.kernelSize else { throw node.unsupported("padding \(padded) is not smaller than its window") }
                window.padding = padded
            }
            // A zero Pad folded in above is counted, as the AveragePool after it sees those cells.
            let countIncludePad = try node.int("count_include_pad", default: 0) == 1
            window.countsPadding = padded > 0 || countIncludePad
            op = .averagePool(window)
        }
        name(try emit(op, [input], [shape], origin: node.name), as: node.outputs[0])
    }

    /// ReduceMean over height and width: a global average pool, `[N, C]` without `keepdims`.
    mutating func lowerReduceMean(_ node: ONNXNode) throws(ONNXError) {
        let view = try activation(node, 0)
        let axes = try self.axes(node, attributeBelow: 18, inputPosition: 1) ?? []
        let resolved = Set(try axes.map { axis throws(ONNXError) in try self.axis(node, axis, rank: view.dims.count) })
        guard view.dims.count == 4, resolved == [2, 3] else {
            throw node.unsupported("only the mean over height and width (axes 2, 3) of an NCHW tensor is read, not axes \(axes)")
        }
        let (input, shape) = try tensor(view, for: node)
        let pooled = try emit(.globalAveragePool, [input], [shape], origin: node.name)
        let keep = try node.int("keepdims", default: 1) != 0
        name(keep ? pooled : pooled.reshaped([shape.n, shape.c]), as: node.outputs[0])
    }
}
