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
    ///
    /// Only `window` of the `width × height` result is computed (default: all of it), so the
    /// work and memory follow the window, not the resized image: a 1×20000 strip resized to a
    /// short side of 256 is 256 × 5 120 000 pixels, of which a center crop keeps 224².
    static func linearOpenCV(_ image: RGBImage, width: Int, height: Int, window: ResizeWindow? = nil) -> RGBImage {
        let window = window ?? ResizeWindow(columns: 0..<width, rows: 0..<height)
        let columns = openCVTaps(
            source: image.width, destination: width, positions: window.columns, clampWeightsAtEdges: true)
        let rows = openCVTaps(source: image.height, destination: height, positions: window.rows, clampWeightsAtEdges: false)
        let rowLength = window.columns.count * 3

        // The horizontal pass of one source row over the window's columns, scaled by 2048;
        // the two most recent rows are kept, since neighbouring output rows share source rows.
        var cache: [(row: Int, values: [Int])] = []
        func horizontal(_ y: Int) -> [Int] {
            if let hit = cache.first(where: { $0.row == y }) { return hit.values }
            var values = [Int](repeating: 0, count: rowLength)
            let sourceRow = y * image.width * 3
            for x in 0..<window.columns.count {
                let left = sourceRow + columns.first[x] * 3
                let right = sourceRow + columns.second[x] * 3
                for channel in 0..<3 {
                    values[x * 3 + channel] =
                        Int(image.pixels[left + channel]) * columns.firstWeight[x]
                        + Int(image.pixels[right + channel]) * columns.secondWeight[x]
                }
            }
            cache.append((y, values))
            if cache.count > 2 { cache.removeFirst() }
            return values
        }

        var pixels = [UInt8](repeating: 0, count: rowLength * window.rows.count)
        for y in 0..<window.rows.count {
            let top = horizontal(rows.first[y])
            let bottom = horizontal(rows.second[y])
            let topWeight = rows.firstWeight[y]
            let bottomWeight = rows.secondWeight[y]
            for index in 0..<rowLength {
                let blended = ((topWeight * (top[index] >> 4)) >> 16) + ((bottomWeight * (bottom[index] >> 4)) >> 16)
                pixels[y * rowLength + index] = clampToByte((blended + 2) >> 2)
            }
        }
        return RGBImage(unchecked: window.columns.count, window.rows.count, pixels)
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
    ///
    /// Only `window` of the result is computed; the first pass covers just the source rows (or
    /// columns) the window's taps read, and only the window's columns (or rows).
    static func bilinearPillow(_ image: RGBImage, width: Int, height: Int, window: ResizeWindow? = nil) -> RGBImage {
        let window = window ?? ResizeWindow(columns: 0..<width, rows: 0..<height)
        let columns = pillowTaps(source: image.width, destination: width, positions: window.columns)
        let rows = pillowTaps(source: image.height, destination: height, positions: window.rows)
        let outputWidth = window.columns.count
        let outputHeight = window.rows.count
        let heightLoss = image.height - height
        let rowSpan = rows.span
        let columnSpan = columns.span
        // The part of the source any output pixel reads: [rowSpan, columnSpan].
        let source = image.crop(rows: rowSpan, columns: columnSpan)
        let shiftedRows = rows.shifted(by: rowSpan.lowerBound)
        let shiftedColumns = columns.shifted(by: columnSpan.lowerBound)
        if heightLoss > 0, heightLoss > (image.width - width) * 2 {
            let tall = pillowPass(
                source.pixels, sourceWidth: source.width, width: source.width, lines: outputHeight, along: .vertical,
                taps: shiftedRows)
            let pixels = pillowPass(
                tall, sourceWidth: source.width, width: outputWidth, lines: outputHeight, along: .horizontal,
                taps: shiftedColumns)
            return RGBImage(unchecked: outputWidth, outputHeight, pixels)
        }
        let wide = pillowPass(
            source.pixels, sourceWidth: source.width, width: outputWidth, lines: source.height, along: .horizontal,
            taps: shiftedColumns)
        let pixels = pillowPass(
            wide, sourceWidth: outputWidth, width: outputWidth, lines: outputHeight, along: .vertical, taps: shiftedRows)
        return RGBImage(unchecked: outputWidth, outputHeight, pixels)
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

    /// The taps of output `positions` (a part of `0..<destination`), in order.
    static func openCVTaps(
        source: Int, destination: Int, positions: Range<Int>, clampWeightsAtEdges: Bool
    ) -> LinearTaps {
        // OpenCV stores the inverse scale and inverts it again; keep both roundings.
        let scale = 1.0 / (Double(destination) / Double(source))
        var taps = LinearTaps()
        for position in positions {
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

        /// The source samples some position reads: from the first start to the last end.
        var span: Range<Int> {
            let lower = start.min() ?? 0
            let upper = zip(start, count).map { $0 + $1 }.max() ?? lower
            return lower..<max(lower, upper)
        }

        /// The same taps for a source that begins `offset` samples later.
        func shifted(by offset: Int) -> FilterTaps {
            var copy = self
            copy.start = start.map { $0 - offset }
            return copy
        }
    }

    /// The taps of output `positions` (a part of `0..<destination`), in order.
    static func pillowTaps(source: Int, destination: Int, positions: Range<Int>) -> FilterTaps {
        let scale = Double(source) / Double(destination)
        let filterScale = max(scale, 1)
        let support = filterScale  // the triangle's support of 1, stretched
        let inverseFilterScale = 1 / filterScale
        var taps = FilterTaps()
        for position in positions {
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

/// The part of a resized image to compute: `columns` and `rows` of the full result.
struct ResizeWindow: Equatable {
    var columns: Range<Int>
    var rows: Range<Int>
}

extension RGBImage {
    /// The pixels of `rows` × `columns` (both inside the image) as an image of their own.
    func crop(rows: Range<Int>, columns: Range<Int>) -> RGBImage {
        if rows == 0..<height, columns == 0..<width { return self }
        var cropped = [UInt8]()
        cropped.reserveCapacity(rows.count * columns.count * 3)
        for y in rows {
            let start = (y * width + columns.lowerBound) * 3
            cropped.append(contentsOf: pixels[start..<(start + columns.count * 3)])
        }
        return RGBImage(unchecked: columns.count, rows.count, cropped)
    }

    /// For buffers the resizers build with the right count by construction.
    init(unchecked width: Int, _ height: Int, _ pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }
}
