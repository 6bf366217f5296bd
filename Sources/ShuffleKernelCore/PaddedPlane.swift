/// One channel plane copied into scratch with its padding written out and its columns dealt
/// into `stride` phases: padded column `q` goes to phase `q % stride`, index `q / stride`.
/// A window tap `(ky, kx)` of output row `oy` then reads consecutive floats for consecutive
/// output columns, so window kernels of any stride load whole vectors with no bounds checks.
///
/// Phase row `(y · stride + phase)` of padded row `y` starts at `(y · stride + phase) · rowLength`
/// (counting from the first padded row copied, when only a band of rows is).
public struct PaddedPlane {
    public var height: Int
    public var width: Int
    public var padding: Int
    public var stride: Int
    /// Floats per phase row: the widest read (a vector starting at the last output column, plus
    /// the window's reach) fits, so no load leaves the plane.
    public var rowLength: Int
    public var paddedHeight: Int { height + 2 * padding }
    public var paddedWidth: Int { width + 2 * padding }
    public var floats: Int { floats(rows: paddedHeight) }

    public init(height: Int, width: Int, padding: Int, stride: Int, kernelSize: Int, outputWidth: Int) {
        self.height = height
        self.width = width
        self.padding = padding
        self.stride = stride
        rowLength = (outputWidth + 7) / 8 * 8 + kernelSize + 8
    }

    /// Floats a band of `rows` padded rows takes.
    public func floats(rows: Int) -> Int { rows * stride * rowLength }

    /// Offset of tap `(ky, kx)` from the start of its output row's window.
    @inlinable
    public func tapOffset(ky: Int, kx: Int) -> Int { (ky * stride + kx % stride) * rowLength + kx / stride }

    /// Offset of output row `oy`'s window (tap `(0, 0)` of output column 0).
    @inlinable
    public func rowOffset(_ oy: Int) -> Int { oy * stride * stride * rowLength }

    /// Writes the padded, phase-dealt copy of padded rows `rows` (all by default) of `source`
    /// (`[height, width]`) into `plane`, with `value` in the padding.
    ///
    /// `bordersReady`: `plane` already holds this layout's padding (a previous fill of the same
    /// layout and pad value), so only the source's cells are written. Planes of a channel
    /// loop share their borders, which for 7×7 planes are more cells than the planes are.
    public func fill(
        _ plane: UnsafeMutablePointer<Float>, from source: UnsafePointer<Float>, padValue value: Float,
        rows: Range<Int>? = nil, bordersReady: Bool = false
    ) {
        let rows = rows ?? 0..<paddedHeight
        for y in rows {
            let row = plane + (y - rows.lowerBound) * stride * rowLength
            let sourceY = y - padding
            if sourceY < 0 || sourceY >= height {
                if !bordersReady { row.update(repeating: value, count: stride * rowLength) }
                continue
            }
            let sourceRow = source + sourceY * width
            switch stride {
            case 1:
                if !bordersReady { for q in 0..<padding { row[q] = value } }
                if width < 8 && (height - sourceY) * width >= 8 {
                    // A narrow row (7 wide) moves as one vector while the plane has floats left
                    // after it; those land where the right padding is written next.
                    (row + padding).store(sourceRow.vector(at: 0), at: 0)
                    for q in (padding + width)..<paddedWidth { row[q] = value }
                } else {
                    copy(sourceRow, to: row + padding, count: width)
                    if !bordersReady { for q in (padding + width)..<paddedWidth { row[q] = value } }
                }
            case 2:
                fillTwoPhases(row, from: sourceRow, padValue: value, bordersReady: bordersReady)
            default:
                for q in 0..<paddedWidth {
                    let x = q - padding
                    row[(q % stride) * rowLength + q / stride] = x >= 0 && x < width ? sourceRow[x] : value
                }
            }
        }
    }

    /// Rows are short (7 to 224 floats), where a library copy's call and size dispatch cost as
    /// much as the copy itself. A last partial vector overlaps the one before it.
    public func copy(_ source: UnsafePointer<Float>, to destination: UnsafeMutablePointer<Float>, count: Int) {
        guard count >= 8 else {
            for x in 0..<count { destination[x] = source[x] }
            return
        }
        var x = 0
        while x + 8 <= count {
            destination.store(source.vector(at: x), at: x)
            x += 8
        }
        if x < count { destination.store(source.vector(at: count - 8), at: count - 8) }
    }

    /// Stride 2: even source columns land in phase `padding % 2`, odd ones in the other; sixteen
    /// (or eight) at a time split into two vectors, a last partial block overlapping the one
    /// before it.
    @inline(__always)
    private func fillTwoPhases(
        _ row: UnsafeMutablePointer<Float>, from sourceRow: UnsafePointer<Float>, padValue value: Float, bordersReady: Bool
    ) {
        // The blocks below write source cells only, so ready borders stay intact.
        if !bordersReady {
            for q in 0..<padding {
                row[(q % 2) * rowLength + q / 2] = value
            }
            for q in (padding + width)..<paddedWidth {
                row[(q % 2) * rowLength + q / 2] = value
            }
        }
        let evens = row + (padding % 2) * rowLength + padding / 2
        let odds = row + ((padding + 1) % 2) * rowLength + (padding + 1) / 2
        if width >= 16 {
            // Blocks start on even columns (an overlapped last block too) so evens stay even.
            let pairedWidth = width & ~1
            var x = 0
            while true {
                let start = min(x, pairedWidth - 16)
                let pair = UnsafeRawPointer(sourceRow + start).floats(as: SIMD16<Float>.self)
                evens.store(pair.evenHalf, at: start / 2)
                odds.store(pair.oddHalf, at: start / 2)
                if start + 16 >= pairedWidth { break }
                x = start + 16
            }
            // An odd width leaves its last (even) column out of the even-start blocks.
            if width % 2 == 1 { evens[(width - 1) / 2] = sourceRow[width - 1] }
        } else {
            var x = 0
            while x + 2 <= width {
                evens[x / 2] = sourceRow[x]
                odds[x / 2] = sourceRow[x + 1]
                x += 2
            }
            if x < width { evens[x / 2] = sourceRow[x] }
        }
    }
}
