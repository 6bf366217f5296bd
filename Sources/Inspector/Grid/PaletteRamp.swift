/// Designs a colour map for the xterm 256-colour palette.
///
/// A sequential map becomes `levels` palette entries (colour cube 16…231 or grey ramp
/// 232…255) whose CIE L* strictly rises, chosen by dynamic programming to minimise
/// Σ_k dist(entry_k, map(t_k)) over `levels` equally spaced samples t_k, where dist weighs
/// lightness `lightnessWeight` times as much as hue (ΔE² with ΔL² ×4). A diverging map is two
/// such ramps, rising to its lightest sample and falling after it. Each of the 256 entries of
/// the result is then the level nearest to it in lightness. Nearest-RGB quantisation folds viridis'
/// purple–blue half onto a few greys (about a dozen distinct entries); this keeps every level
/// distinct and the order of lightness intact.
public enum PaletteRamp {
    static let lightnessWeight = 1.0
    /// Smallest rise in L* between neighbouring levels, so neighbours stay distinguishable.
    static let minimumStep = 1.0
    /// Largest lightness error a level may have against its sample: the order of lightness and
    /// its scale both survive, whatever hue the palette can offer nearby.
    static let lightnessBand = 4.0
    /// Weight of the change of hue (Δa² + Δb²) between neighbouring levels: without it the
    /// ramp may alternate between purples, blues and greys of nearly the same lightness.
    static let smoothness = 1.0

    private struct Candidate {
        var color: TerminalColor
        var lab: LabColor
    }

    /// The palette entries a ramp may use, darkest first.
    private static let candidates: [Candidate] = (16...255).map { index in
        let rgb = ColorQuantization.color(ofPalette256Index: index)
        return Candidate(color: .rgb(rgb.red, rgb.green, rgb.blue), lab: LabColor(rgb))
    }.sorted { $0.lab.lightness < $1.lab.lightness }

    /// The palette version of `samples` (256 truecolor colours, t = 0…1), entry by entry.
    public static func design(for samples: [TerminalColor], diverging: Bool, levels: Int = 26) -> [TerminalColor] {
        let targets = samples.map(lab)
        guard targets.count >= 2 else { return samples }
        let last = targets.count - 1
        if !diverging {
            let ramp = rising(targets: sampled(targets, from: 0, to: last, count: levels))
            return monotonic(targets.map { closest(in: ramp, to: $0) }, rising: true).map { ramp[$0].color }
        }
        // Rise to the lightest sample, then fall: the falling half is a rising ramp read backwards.
        let peak = targets.indices.max { targets[$0].lightness < targets[$1].lightness } ?? last / 2
        let half = max(2, levels / 2)
        let up = rising(targets: sampled(targets, from: 0, to: peak, count: half))
        let down = rising(targets: sampled(targets, from: last, to: peak, count: half))
        let rise = monotonic(targets[...peak].map { closest(in: up, to: $0) }, rising: true).map { up[$0].color }
        let fall = monotonic(targets[(peak + 1)...].map { closest(in: down, to: $0) }, rising: false).map { down[$0].color }
        return rise + fall
    }

    /// Level indices made monotonic (a running maximum, or minimum when falling): the truecolor
    /// map, interpolated in RGB, can dip in lightness by a fraction between its anchors.
    private static func monotonic(_ indices: [Int], rising: Bool) -> [Int] {
        var result: [Int] = []
        for index in indices {
            guard let previous = result.last else { result.append(index); continue }
            result.append(rising ? max(previous, index) : min(previous, index))
        }
        return result
    }

    /// The level of `ramp` closest in lightness to `target` (the darker one on a tie). The
    /// ramp rises strictly, so this keeps the targets' order of lightness.
    private static func closest(in ramp: [Candidate], to target: LabColor) -> Int {
        ramp.indices.min { abs(ramp[$0].lab.lightness - target.lightness) < abs(ramp[$1].lab.lightness - target.lightness) } ?? 0
    }

    private static func lab(_ color: TerminalColor) -> LabColor {
        guard case .rgb(let r, let g, let b) = color else { return LabColor(.init(red: 0, green: 0, blue: 0)) }
        return LabColor(.init(red: r, green: g, blue: b))
    }

    /// `count` targets equally spaced from index `from` to `to` (either direction).
    private static func sampled(_ targets: [LabColor], from: Int, to: Int, count: Int) -> [LabColor] {
        (0..<count).map { k in
            let position = Double(from) + Double(to - from) * Double(k) / Double(max(1, count - 1))
            return targets[Int(position.rounded())]
        }
    }

    /// Palette colours for `targets` with strictly rising lightness (by `minimumStep` at
    /// least), minimising the summed weighted distance plus `smoothness` times the hue change
    /// between neighbours. O(targets · candidates²).
    private static func rising(targets: [LabColor]) -> [Candidate] {
        let n = candidates.count
        let infinity = Double.infinity
        // cost[k][j]: best total for targets 0…k with target k on candidate j; from[k][j] the
        // candidate of target k − 1 on that best path.
        var cost = [[Double]](repeating: [Double](repeating: infinity, count: n), count: targets.count)
        var from = [[Int]](repeating: [Int](repeating: -1, count: n), count: targets.count)
        func own(_ j: Int, _ k: Int) -> Double {
            abs(candidates[j].lab.lightness - targets[k].lightness) > lightnessBand
                ? infinity : candidates[j].lab.distance(to: targets[k], lightnessWeight: lightnessWeight)
        }
        for j in 0..<n { cost[0][j] = own(j, 0) }
        for k in 1..<targets.count {
            for j in 0..<n {
                let ownCost = own(j, k)
                guard ownCost < infinity else { continue }
                // Predecessors darker by `minimumStep` (candidates are sorted by lightness).
                for i in 0..<n where candidates[i].lab.lightness <= candidates[j].lab.lightness - minimumStep {
                    guard cost[k - 1][i] < infinity else { continue }
                    let da = candidates[j].lab.a - candidates[i].lab.a, db = candidates[j].lab.b - candidates[i].lab.b
                    let total = cost[k - 1][i] + ownCost + smoothness * (da * da + db * db)
                    if total < cost[k][j] { cost[k][j] = total; from[k][j] = i }
                }
            }
        }
        let lastRow = cost[targets.count - 1]
        guard var j = lastRow.indices.min(by: { lastRow[$0] < lastRow[$1] }), lastRow[j] < infinity else {
            return targets.map { _ in candidates[0] }
        }
        var path = [Int](repeating: 0, count: targets.count)
        for k in stride(from: targets.count - 1, through: 0, by: -1) {
            path[k] = j
            if k > 0 { j = from[k][j] }
        }
        return path.map { candidates[$0] }
    }
}
