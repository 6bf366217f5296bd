import ShuffleEngine

/// A class activation map (Zhou et al., 2016) for a global-average-pool + fully connected head.
///
/// With features A `[C, H, W]`, the pool gives `p_c = mean_xy A_c(x, y)` and the classifier
/// `logit_k = Σ_c w[k, c]·p_c + b_k`, so `logit_k = mean_xy M_k(x, y) + b_k` with
/// `M_k(x, y) = Σ_c w[k, c]·A_c(x, y)`: M_k is exactly how much each position adds to class k.
/// No gradients are needed. The map has the features' resolution (7×7 for ShuffleNet at 224²).
struct ClassActivationMap: Equatable, Sendable {
    /// The nodes involved: the classifier, the global pool before it, and the node whose output
    /// the pool averages (the features A).
    struct Head: Equatable, Sendable {
        var classifier: Int
        var pool: Int
        var features: Int
    }

    let classIndex: Int
    let width: Int
    let height: Int
    /// `[H, W]`, row-major.
    let values: [Float]

    /// The classifier (the node whose role is `.classifier`, else the last fully connected
    /// layer) when it reads a global average pool of a spatial map; nil for any other head.
    static func head(in graph: Graph) -> Head? {
        let nodes = graph.nodes
        let classifier = nodes.lastIndex { $0.place.role == .classifier }
            ?? nodes.lastIndex { if case .linear = $0.op { return true } else { return false } }
        guard let classifier, case .linear = nodes[classifier].op,
            case .node(let pool)? = nodes[classifier].inputs.first, nodes.indices.contains(pool),
            case .globalAveragePool = nodes[pool].op,
            case .node(let features)? = nodes[pool].inputs.first, nodes.indices.contains(features)
        else { return nil }
        return Head(classifier: classifier, pool: pool, features: features)
    }

    /// `M_k` for class `classIndex` from the features `A` (batch item 0) and the classifier.
    init?(classifier: Linear, features: Tensor, classIndex: Int) {
        let shape = features.shape
        guard classifier.inputFeatures == shape.c, (0..<classifier.outputFeatures).contains(classIndex),
            classifier.weight.count == classifier.outputFeatures * classifier.inputFeatures,
            features.storage.count >= shape.item
        else { return nil }
        self.classIndex = classIndex
        width = shape.w
        height = shape.h
        let plane = shape.plane
        var values = [Float](repeating: 0, count: plane)
        let row = classIndex * classifier.inputFeatures
        classifier.weight.withUnsafeBufferPointer { weight in
            features.storage.withUnsafeBufferPointer { a in
                for c in 0..<shape.c {
                    let w = weight[row + c]
                    let start = c * plane
                    for p in 0..<plane { values[p] += w * a[start + p] }
                }
            }
        }
        self.values = values
    }

    /// The map's mean: with the classifier's bias it gives back the class's logit.
    var mean: Float { values.isEmpty ? 0 : values.reduce(0, +) / Float(values.count) }

    /// `values` scaled to 0…1 from their minimum to their maximum (all ½ when flat).
    var normalized: [Float] {
        guard let low = values.min(), let high = values.max(), high > low else { return values.map { _ in 0.5 } }
        return values.map { ($0 - low) / (high - low) }
    }

    /// The map at (`x`, `y`) in 0…1 (normalised) for a picture of `pictureWidth`×`pictureHeight`
    /// pixels, bilinearly interpolated between cell centres.
    func sample(normalized: [Float], x: Double, y: Double, pictureWidth: Int, pictureHeight: Int) -> Float {
        guard width > 0, height > 0, normalized.count == width * height else { return 0 }
        let fx = max(0, min(Double(width - 1), (x + 0.5) * Double(width) / Double(max(1, pictureWidth)) - 0.5))
        let fy = max(0, min(Double(height - 1), (y + 0.5) * Double(height) / Double(max(1, pictureHeight)) - 0.5))
        let x0 = Int(fx), y0 = Int(fy)
        let x1 = min(width - 1, x0 + 1), y1 = min(height - 1, y0 + 1)
        let tx = Float(fx - Double(x0)), ty = Float(fy - Double(y0))
        let top = normalized[y0 * width + x0] * (1 - tx) + normalized[y0 * width + x1] * tx
        let bottom = normalized[y1 * width + x0] * (1 - tx) + normalized[y1 * width + x1] * tx
        return top * (1 - ty) + bottom * ty
    }
}
