import ShuffleEngine

/// Every channel of one output shrunk (by averaging) or enlarged (by repetition) to a fixed pixel
/// size and normalised to 0...1 on its colour scale. Built once per step, normalisation and size.
struct Thumbnails: Sendable {
    let columns: Int
    let pixelRows: Int
    /// `[c, pixelRows, columns]`, each value in 0...1.
    let values: [Float]

    init(output: Tensor, analysis: LayerAnalysis, normalization: Normalization, symmetric: Bool = false, columns: Int, pixelRows: Int) {
        let shape = output.shape
        self.columns = max(1, columns)
        self.pixelRows = max(1, pixelRows)
        let (cols, rows) = (self.columns, self.pixelRows)
        let xBins = Thumbnails.bins(count: cols, over: shape.w)
        let yBins = Thumbnails.bins(count: rows, over: shape.h)
        var values = [Float](repeating: 0, count: shape.c * rows * cols)
        output.storage.withUnsafeBufferPointer { source in
            for c in 0..<shape.c {
                let (low, high) = analysis.range(for: c, normalization: normalization, symmetric: symmetric)
                let scale = 1 / (high - low)
                let planeStart = c * shape.plane
                for (row, yRange) in yBins.enumerated() {
                    for (column, xRange) in xBins.enumerated() {
                        var sum: Float = 0
                        for y in yRange {
                            let rowStart = planeStart + y * shape.w
                            for x in xRange where rowStart + x < source.count { sum += source[rowStart + x] }
                        }
                        let mean = sum / Float(max(1, yRange.count * xRange.count))
                        values[(c * rows + row) * cols + column] = max(0, min(1, (mean - low) * scale))
                    }
                }
            }
        }
        self.values = values
    }

    /// Value of pixel (`column`, `row`) of `channel`, 0...1.
    @inline(__always)
    func value(channel: Int, column: Int, row: Int) -> Float {
        let index = (channel * pixelRows + row) * columns + column
        return index >= 0 && index < values.count ? values[index] : 0
    }

    /// `count` contiguous source ranges covering `size` (each at least one element, so a small
    /// map is enlarged by repeating pixels).
    static func bins(count: Int, over size: Int) -> [Range<Int>] {
        guard size > 0 else { return Array(repeating: 0..<0, count: count) }
        return (0..<count).map { i in
            let start = min(size - 1, i * size / count)
            let end = max(start + 1, min(size, (i + 1) * size / count))
            return start..<end
        }
    }
}

/// Key of a cached thumbnail set.
struct ThumbnailKey: Hashable {
    var ablation: Bool
    var step: Int
    var normalization: Normalization
    var symmetric: Bool
    var columns: Int
    var pixelRows: Int
}
