import ShuffleEngine

/// How the network's input tensor holds its pixels, so the focus view can show the photo.
public enum InputPixels: String, Sendable {
    /// The authors' preprocessing: B, G, R planes in 0…255.
    case bgr255
    /// torchvision's: R, G, B planes normalised with ImageNet's mean and standard deviation.
    case rgbImageNet
    /// Unknown (a `.npy` used as is): R, G, B planes, each stretched from its minimum to its maximum.
    case unknown
}

/// The preprocessed input as an RGB picture in 0…1, `[H, W, 3]`, shown beside a channel at the
/// same scale.
struct InputPicture: Sendable {
    let width: Int
    let height: Int
    /// `[H, W, 3]`, R G B in 0…1.
    let rgb: [Float]

    init(input: Tensor, pixels: InputPixels) {
        let shape = input.shape
        width = shape.w
        height = shape.h
        let plane = shape.plane
        let channels = min(3, shape.c)
        var rgb = [Float](repeating: 0, count: plane * 3)
        let mean: [Float] = [0.485, 0.456, 0.406], deviation: [Float] = [0.229, 0.224, 0.225]
        for target in 0..<3 {
            // The tensor plane holding this colour.
            let source = pixels == .bgr255 ? 2 - target : target
            guard source < channels else { continue }
            let values = Array(input.storage[(source * plane)..<((source + 1) * plane)])
            let low = values.min() ?? 0, high = values.max() ?? 1
            for p in 0..<plane {
                let v = values[p]
                let level: Float
                switch pixels {
                case .bgr255: level = v / 255
                case .rgbImageNet: level = v * deviation[target] + mean[target]
                case .unknown: level = high > low ? (v - low) / (high - low) : 0.5
                }
                rgb[p * 3 + target] = max(0, min(1, level))
            }
        }
        self.rgb = rgb
    }

    /// The mean colour of source rows `rows` and columns `columns` (clamped; black when empty).
    func average(rows: Range<Int>, columns: Range<Int>) -> (Float, Float, Float) {
        let r0 = max(0, rows.lowerBound), r1 = min(height, rows.upperBound)
        let c0 = max(0, columns.lowerBound), c1 = min(width, columns.upperBound)
        guard r1 > r0, c1 > c0 else { return (0, 0, 0) }
        var sum: (Float, Float, Float) = (0, 0, 0)
        for y in r0..<r1 {
            for x in c0..<c1 {
                let i = (y * width + x) * 3
                sum.0 += rgb[i]; sum.1 += rgb[i + 1]; sum.2 += rgb[i + 2]
            }
        }
        let n = Float((r1 - r0) * (c1 - c0))
        return (sum.0 / n, sum.1 / n, sum.2 / n)
    }
}
