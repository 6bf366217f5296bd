import ShuffleEngine

/// Where one unit of a ShuffleNet sits: every ShuffleNet (v1 and v2) stacks stages 2–4 of 4, 8
/// and 4 units after a stride-2 stem and a stride-2 max pool, the first unit of each stage at
/// stride 2. The architectures add their own channel details on top of this.
public struct UnitPosition: Sendable, Equatable {
    /// Stage number as in the papers: 2, 3 or 4.
    public let stage: Int
    /// Position within the stage, from 1.
    public let index: Int
    /// Position among all units, 0…15: the authors' `features.N`.
    public let feature: Int
    public let stride: Int
    public let inputChannels: Int
    public let outputChannels: Int
    public let inputSize: PlaneSize
    public let outputSize: PlaneSize

    /// Units per stage (stages 2, 3, 4).
    public static let stageRepeats = [4, 8, 4]

    /// Every unit in execution order, for a stem of `stemChannels` channels, stage widths
    /// `stageWidths` (three) and the max pool's output size `poolSize`.
    static func all(stemChannels: Int, stageWidths: [Int], poolSize: PlaneSize) -> [UnitPosition] {
        var result: [UnitPosition] = []
        var channels = stemChannels
        var size = poolSize
        for (stageOffset, repeats) in stageRepeats.enumerated() {
            let output = stageWidths[stageOffset]
            for position in 0..<repeats {
                let stride = position == 0 ? 2 : 1
                let outputSize = stride == 2 ? size.halved : size
                result.append(
                    UnitPosition(
                        stage: stageOffset + 2, index: position + 1, feature: result.count, stride: stride,
                        inputChannels: channels, outputChannels: output, inputSize: size, outputSize: outputSize))
                channels = output
                size = outputSize
            }
        }
        return result
    }
}

extension ShuffleConvention {
    /// `paper's shuffle`, `authors' shuffle`, `no shuffle`: how configurations describe their order.
    var orderDescription: String {
        switch self {
        case .paper: return "paper's shuffle"
        case .authors: return "authors' shuffle"
        case .disabled: return "no shuffle"
        }
    }
}
