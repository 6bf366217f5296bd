/// The two bilinear resizers the presets need, each reproducing a reference library bit for bit
/// on 8-bit RGB images (the reference pipelines resize `uint8` images and round the result).
enum Resize {
    /// OpenCV's `cv2.resize(..., interpolation=INTER_LINEAR)` on an 8-bit image.
    ///
    /// Sample positions use half-pixel centres, `(d + 0.5) * source / destination - 0.5`, with
    /// two taps per axis and no antialiasing, so a large reduction skips pixels. Weights are
    /// rounded to multiples of 1/2048; horizontal sums stay exact integers; the vertical blend
    /// uses the rounding of OpenCV's SIMD kernel (`((b0·(h0>>4))>>16 + (b1·(h1>>4))>>16 + 2) >> 2`),
    /// which is what it runs on x86 and ARM. Columns past the edge take the edge pixel with
    /// full weight; rows past the edge are clamped to the edge row but keep their weights.
    static func linearOpenCV(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        let columns = openCVTaps(source: image.width, destination: width, clampWeightsAtEdges: true)
        let rows = openCVTaps(source: image.height, destination: height, clampWeightsAtEdges: false)

        // Horizontal pass over the source rows some output row reads (two per output row, so
        // a large reduction skips most): [image.height, width, 3], scaled by 2048.
        var isRead = [Bool](repeating: false, count: image.height)
        for y in rows.first + rows.second { isRead[y] = true }
        var horizontal = [Int](repeating: 0, count: image.height * width * 3)
        for y in 0..<image.height where isRead[y] {
            let sourceRow = y * image.width * 3
            let destinationRow = y * width * 3
            for x in 0..<width {
                let left = sourceRow + columns.first[x] * 3
                let right = sourceRow + columns.second[x] * 3
                for channel in 0..<3 {
                    horizontal[destinationRow + x * 3 + channel] =
                        Int(image.pixels[left + channel]) * columns.firstWeight[x]
                        + Int(image.pixels[right + channel]) * columns.secondWeight[x]
                }
            }
        }

        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            let top = rows.first[y] * width * 3
            let bottom = rows.second[y] * width * 3
            let topWeight = rows.firstWeight[y]
            let bottomWeight = rows.secondWeight[y]
            for index in 0..<(width * 3) {
                let blended = ((topWeight * (horizontal[top + index] >> 4)) >> 16)
                    + ((bottomWeight * (horizontal[bottom + index] >> 4)) >> 16)
                pixels[y * width * 3 + index] = clampToByte((blended + 2) >> 2)
            }
        }
        return RGBImage(unchecked: width, height, pixels)
    }

    /// Pillow's `Image.resize(..., Image.BILINEAR)` on an RGB image, which torchvision's `Resize`
    /// calls for PIL images.
    ///
    /// A triangle filter centred on `(d + 0.5) * source / destination` whose support widens with
    /// the reduction factor (so it antialiases when shrinking; when enlarging it is ordinary
    /// bilinear interpolation), weights normalised over the taps inside the image and rounded to
    /// multiples of 2^-22. The two passes are separate and the first is rounded to 8 bits. As in
    /// Pillow 13 (the version checked), the vertical pass goes first when the height loses more
    /// than twice as many pixels as the width, otherwise the horizontal one; older Pillow always
    /// went horizontal first. The two orders differ only for images over twice as tall as wide.
    static func bilinearPillow(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        let columns = pillowTaps(source: image.width, destination: width)
        let rows = pillowTaps(source: image.height, destination: height)
        let heightLoss = image.height - height
        if heightLoss > 0, heightLoss > (image.width - width) * 2 {
            let tall = pillowPass(image.pixels, sourceWidth: image.width, width: image.width, lines: height, along: .vertical, taps: rows)
            let pixels = pillowPass(tall, sourceWidth: image.width, width: width, lines: height, along: .horizontal, taps: columns)
            return RGBImage(unchecked: width, height, pixels)
        }
        // Only the source rows some output row reads go through the horizontal pass.
        let firstRow = rows.start.first ?? 0
        let lastRow = zip(rows.start, rows.count).map { $0 + $1 }.max() ?? 0
        let used = Array(image.pixels[(firstRow * image.width * 3)..<(lastRow * image.width * 3)])
        let wide = pillowPass(used, sourceWidth: image.width, width: width, lines: lastRow - firstRow, along: .horizontal, taps: columns)
        var shifted = rows
        shifted.start = rows.start.map { $0 - firstRow }
        let pixels = pillowPass(wide, sourceWidth: width, width: width, lines: height, along: .vertical, taps: shifted)
        return RGBImage(unchecked: width, height, pixels)
    }

    enum Axis { case horizontal, vertical }

    /// One Pillow pass producing `lines` rows of `width` RGB pixels from `source` (rows of
    /// `sourceWidth` pixels), filtering along `axis`: horizontally `source` has the same row
    /// count and `taps` index its columns; vertically it has the same width and `taps` index
    /// its rows.
    private static func pillowPass(
        _ source: [UInt8], sourceWidth: Int, width: Int, lines: Int, along axis: Axis, taps: FilterTaps
    ) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: width * lines * 3)
        let half = 1 << (pillowPrecision - 1)
        switch axis {
        case .horizontal:
            for y in 0..<lines {
                for x in 0..<width {
                    let start = (y * sourceWidth + taps.start[x]) * 3
                    for channel in 0..<3 {
                        var sum = half
                        for (tap, weight) in taps.weights[x].enumerated() {
                            sum += Int(source[start + tap * 3 + channel]) * weight
                        }
                        output[(y * width + x) * 3 + channel] = clampToByte(sum >> pillowPrecision)
                    }
                }
            }
        case .vertical:
            let rowLength = width * 3
            for y in 0..<lines {
                let start = taps.start[y] * rowLength
                for index in 0..<rowLength {
                    var sum = half
                    for (tap, weight) in taps.weights[y].enumerated() {
                        sum += Int(source[start + tap * rowLength + index]) * weight
                    }
                    output[y * rowLength + index] = clampToByte(sum >> pillowPrecision)
                }
            }
        }
        return output
    }

    // MARK: - Taps

    /// Two taps per output position; weights in units of 1/2048 (OpenCV's INTER_RESIZE_COEF_SCALE).
    struct LinearTaps {
        var first: [Int] = []
        var second: [Int] = []
        var firstWeight: [Int] = []
        var secondWeight: [Int] = []
    }

    static func openCVTaps(source: Int, destination: Int, clampWeightsAtEdges: Bool) -> LinearTaps {
        // OpenCV stores the inverse scale and inverts it again; keep both roundings.
        let scale = 1.0 / (Double(destination) / Double(source))
        var taps = LinearTaps()
        for position in 0..<destination {
            // Single precision from here on, as in OpenCV.
            var fraction = Float((Double(position) + 0.5) * scale - 0.5)
            var index = Int(fraction.rounded(.down))
            fraction -= Float(index)
            if clampWeightsAtEdges {
                if index < 0 {
                    (index, fraction) = (0, 0)
                }
                if index >= source - 1 {
                    (index, fraction) = (source - 1, 0)
                }
            }
            taps.first.append(min(max(index, 0), source - 1))
            taps.second.append(min(max(index + 1, 0), source - 1))
            taps.firstWeight.append(Int(((1 - fraction) * 2048).rounded(.toNearestOrEven)))
            taps.secondWeight.append(Int((fraction * 2048).rounded(.toNearestOrEven)))
        }
        return taps
    }

    /// Pillow's fixed-point precision for 8-bit images: 32 − 8 − 2 bits.
    static let pillowPrecision = 22

    /// A run of taps per output position: `count[d]` source samples from `start[d]`, with
    /// `weights[d]` in units of 2^-22.
    struct FilterTaps {
        var start: [Int] = []
        var count: [Int] = []
        var weights: [[Int]] = []
    }

    static func pillowTaps(source: Int, destination: Int) -> FilterTaps {
        let scale = Double(source) / Double(destination)
        let filterScale = max(scale, 1)
        let support = filterScale  // the triangle's support of 1, stretched
        let inverseFilterScale = 1 / filterScale
        var taps = FilterTaps()
        for position in 0..<destination {
            let center = (Double(position) + 0.5) * scale
            // Truncation toward zero, as C's (int) cast.
            let start = max(Int(center - support + 0.5), 0)
            let end = min(Int(center + support + 0.5), source)
            var weights: [Double] = []
            for sample in start..<max(end, start) {
                let distance = abs((Double(sample) - center + 0.5) * inverseFilterScale)
                weights.append(distance < 1 ? 1 - distance : 0)
            }
            let total = weights.reduce(0, +)
            taps.start.append(start)
            taps.count.append(weights.count)
            taps.weights.append(weights.map { weight in
                let normalised = total != 0 ? weight / total : weight
                let scaled = normalised * Double(1 << pillowPrecision)
                return Int(scaled < 0 ? scaled - 0.5 : scaled + 0.5)
            })
        }
        return taps
    }

    @inline(__always)
    static func clampToByte(_ value: Int) -> UInt8 {
        UInt8(min(max(value, 0), 255))
    }
}

extension RGBImage {
    /// For buffers the resizers build with the right count by construction.
    init(unchecked width: Int, _ height: Int, _ pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }
}
