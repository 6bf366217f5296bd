extension ShuffleNetConfiguration {
    /// Table 1's stage-2 output channels at 1×, by group count (stages 3 and 4 double it).
    static let tableStage2: [Int: Int] = [1: 144, 2: 200, 3: 240, 4: 272, 8: 384]
    /// Table 1's conv1 output channels at 1×.
    static let tableConv1 = 24

    /// `[conv1, stage2, stage3, stage4]` of the checkpoints the authors released, or nil.
    public static func releasedWidths(groups: Int, width: Double) -> [Int]? {
        switch (groups, width) {
        case (3, 0.5): return [12, 120, 240, 480]
        case (3, 1.0): return [24, 240, 480, 960]
        case (3, 1.5): return [24, 360, 720, 1440]
        case (3, 2.0): return [48, 480, 960, 1920]
        case (8, 0.5): return [16, 192, 384, 768]
        case (8, 1.0): return [24, 384, 768, 1536]
        case (8, 1.5): return [24, 576, 1152, 2304]
        case (8, 2.0): return [48, 768, 1536, 3072]
        default: return nil
        }
    }

    /// Whether the authors released weights for this group count and widths.
    public var isReleasedByAuthors: Bool { Self.releasedWidths(groups: groups, width: width) == widths }

    /// Widths `[conv1, stage2, stage3, stage4]` for a group count and width multiplier `s`.
    ///
    /// Where the authors released a model (g = 3 or 8 at 0.5×, 1.0×, 1.5×, 2.0×) their exact
    /// widths are used; they keep conv1 at 24 for 1.5×, which no rounding rule predicts.
    /// Elsewhere each of Table 1's counts is multiplied by `s` and rounded to the nearest
    /// multiple (ties upward, never below one multiple) of:
    /// - `g` for conv1 (24·s), because stage 2's first unit ends in a g-group 1×1 conv that
    ///   outputs `stage2 − conv1` channels;
    /// - `4g` for each stage, because the bottleneck `out / 4` feeds g-group 1×1 convs.
    /// Each stage is rounded on its own rather than doubled from a rounded stage 2, so only
    /// counts that are not already multiples move. The rule reproduces Table 1 at 1× and every
    /// released width except conv1 at 1.5×; at 0.5× it gives 37.1–39.7 M conv multiply-adds for
    /// every g, against the paper's 38 M (g = 2 gives [12, 104, 200, 400], 38.5 M; doubling 104
    /// instead would give 40.5 M).
    public static func standardWidths(groups: Int, width: Double) throws(ConfigurationError) -> [Int] {
        guard let stage2 = tableStage2[groups] else { throw .unsupportedGroups(groups) }
        guard supportedWidths.contains(width) else { throw .unsupportedWidth(width) }
        if let released = releasedWidths(groups: groups, width: width) { return released }
        let conv1 = roundToMultiple(Double(tableConv1) * width, of: groups)
        let stages = [1, 2, 4].map { roundToMultiple(Double(stage2 * $0) * width, of: 4 * groups) }
        return [conv1] + stages
    }

    /// The nearest positive multiple of `step` to `value`, ties upward.
    static func roundToMultiple(_ value: Double, of step: Int) -> Int {
        let multiples = (value / Double(step) + 0.5).rounded(.down)
        return max(1, Int(multiples)) * step
    }

    /// The nominal multiplier of non-standard widths: stage 2 against Table 1, to 2 decimals.
    static func nominalWidth(groups: Int, widths: [Int]) -> Double {
        guard let stage2 = tableStage2[groups], widths.count == 4 else { return 1 }
        return (Double(widths[1]) / Double(stage2) * 100).rounded() / 100
    }

    /// Checks the divisibility the units rely on.
    static func checkWidths(_ widths: [Int], groups: Int) throws(ConfigurationError) {
        guard widths.count == 4 else {
            throw .invalidWidths(widths, groups: groups, reason: "need 4 widths [conv1, stage2, stage3, stage4]")
        }
        guard let conv1 = widths.first, conv1 >= 1 else {
            throw .invalidWidths(widths, groups: groups, reason: "conv1 needs at least one channel")
        }
        for (stage, channels) in zip(2...4, widths.dropFirst()) where channels % (4 * groups) != 0 {
            throw .invalidWidths(
                widths, groups: groups,
                reason:
                    "stage \(stage)'s \(channels) channels are not a multiple of \(4 * groups) (bottleneck out/4 split into \(groups) groups)"
            )
        }
        for stage in 1...3 {
            let added = widths[stage] - widths[stage - 1]
            guard added > 0, added % groups == 0 else {
                throw .invalidWidths(
                    widths, groups: groups,
                    reason:
                        "stage \(stage + 1)'s first unit must add a positive multiple of \(groups) channels, not \(added)"
                )
            }
        }
    }
}
