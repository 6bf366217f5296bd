import ShuffleEngine

/// How an image becomes the network's `[1, 3, crop, crop]` input. Each preset reproduces the
/// evaluation pipeline of one family of weights exactly (same resize arithmetic, same crop
/// rounding, same channel order and scaling).
///
/// Both presets:
/// 1. resize so the short side is `resizeShortSide` (256 for the usual 224 crop), keeping the
///    aspect ratio (the long side's rounding differs per preset, see below);
/// 2. center crop `crop × crop`, the top-left offset being `round((side − crop) / 2)` with
///    ties to even (Python's `round`, as torchvision's `CenterCrop`);
/// 3. lay out NCHW floats.
public enum Preprocessing: String, CaseIterable, Sendable {
    /// The ShuffleNet authors' released evaluation code (`OpencvResize(256)`, `CenterCrop(224)`,
    /// `ToBGRTensor()`):
    /// - resize with OpenCV `INTER_LINEAR` (half-pixel centres, two taps, no antialiasing),
    ///   rounded to 8 bits; the long side is `Int(short · long / shortSide + 0.5)` computed as
    ///   `resizeShortSide / short · long` in double precision;
    /// - channels in **B, G, R** order;
    /// - values are the 8-bit levels as floats, 0…255, no mean subtraction, no scaling.
    case authors
    /// torchvision's ImageNet evaluation transform (`Resize(256)`, `CenterCrop(224)`,
    /// `ToTensor()`, `Normalize(mean, std)`) on a PIL image:
    /// - resize with Pillow's bilinear filter, which antialiases when shrinking, rounded to
    ///   8 bits; the long side is `Int(resizeShortSide · long / short)` (truncated);
    /// - channels in **R, G, B** order;
    /// - values `(level / 255 − mean) / std` in single precision with mean (0.485, 0.456, 0.406)
    ///   and std (0.229, 0.224, 0.225).
    case torchvision

    /// Per-channel mean and standard deviation of the `torchvision` preset, in R, G, B order.
    public static let torchvisionMean: [Float] = [0.485, 0.456, 0.406]
    public static let torchvisionStd: [Float] = [0.229, 0.224, 0.225]

    /// The largest crop (and network input side) preprocessing produces. Larger requests are
    /// refused before any arithmetic that could overflow or allocate.
    public static let maximumCropSize = ShuffleNetConfiguration.maximumInputSize

    /// The short side to resize to before cropping `cropSize`: `cropSize · 8 / 7` rounded,
    /// which is 256 for 224 (the standard ImageNet ratio). Saturates instead of overflowing.
    public static func resizeShortSide(forCrop cropSize: Int) -> Int {
        guard cropSize >= 0 else { return 0 }
        // cropSize = 7q + r: (8(7q + r) + 3) / 7 = 8q + (8r + 3) / 7, with 8q checked.
        let (eightQ, overflow) = (cropSize / 7).multipliedReportingOverflow(by: 8)
        return overflow ? Int.max : eightQ + ((cropSize % 7) * 8 + 3) / 7
    }

    /// The image size after the resize step: `(width, height)`. Sides that would not fit an
    /// `Int` come back as `Int.max` (the windowed resize never allocates them).
    public func resizedSize(width: Int, height: Int, shortSide: Int) -> (width: Int, height: Int) {
        func side(_ value: Double) -> Int { value < 0x1p62 ? Int(value) : Int.max }
        switch self {
        case .authors:
            // target_size = (int(size / H * W + 0.5), size) if H < W else (size, int(size / W * H + 0.5))
            if height < width {
                return (side(Double(shortSide) / Double(height) * Double(width) + 0.5), shortSide)
            }
            return (shortSide, side(Double(shortSide) / Double(width) * Double(height) + 0.5))
        case .torchvision:
            // new_long = int(size * long / short), the short side being the width on ties.
            // Exact in double precision while size · long < 2^53, which the checks in `apply` ensure.
            if width <= height {
                return (shortSide, side(Double(shortSide) * Double(height) / Double(width)))
            }
            return (side(Double(shortSide) * Double(width) / Double(height)), shortSide)
        }
    }

    /// Resizes, crops and converts `image` to a `[1, 3, cropSize, cropSize]` tensor.
    ///
    /// `resizeShortSide` defaults to `resizeShortSide(forCrop:)`; it must be at least `cropSize`
    /// and at most twice `maximumCropSize`. Only the crop's pixels are computed: work and memory
    /// are `O(cropSize²)` plus the source pixels the crop's filter taps read, whatever the
    /// image's aspect ratio.
    public func apply(
        to image: RGBImage, cropSize: Int, resizeShortSide: Int? = nil
    ) throws(PreprocessingError) -> Tensor {
        guard image.width > 0, image.height > 0 else {
            throw .emptyImage(width: image.width, height: image.height)
        }
        guard cropSize <= Self.maximumCropSize else {
            throw .cropTooLarge(cropSize: cropSize, maximum: Self.maximumCropSize)
        }
        let shortSide = resizeShortSide ?? Self.resizeShortSide(forCrop: cropSize)
        guard cropSize > 0, shortSide >= cropSize, shortSide <= 2 * Self.maximumCropSize else {
            throw .invalidSize(cropSize: cropSize, resizeShortSide: shortSide)
        }
        let size = resizedSize(width: image.width, height: image.height, shortSide: shortSide)
        let top = Self.centerOffset(size.height, cropSize)
        let left = Self.centerOffset(size.width, cropSize)
        let window = ResizeWindow(columns: left..<(left + cropSize), rows: top..<(top + cropSize))
        let cropped: RGBImage
        switch self {
        case .authors:
            cropped = Resize.linearOpenCV(image, width: size.width, height: size.height, window: window)
        case .torchvision:
            cropped = Resize.bilinearPillow(image, width: size.width, height: size.height, window: window)
        }
        return toTensor(cropped, top: 0, left: 0, cropSize: cropSize)
    }

    /// torchvision's `int(round((side - crop) / 2.0))`: halves round to the even neighbour.
    static func centerOffset(_ side: Int, _ crop: Int) -> Int {
        let difference = side - crop
        let half = difference / 2
        if difference % 2 == 0 { return half }
        return half % 2 == 0 ? half : half + 1
    }

    /// The `crop × crop` window at (`top`, `left`) as `[1, 3, crop, crop]` floats, in this
    /// preset's channel order and scale.
    func toTensor(_ image: RGBImage, top: Int, left: Int, cropSize: Int) -> Tensor {
        var tensor = Tensor(zeros: Shape(n: 1, c: 3, h: cropSize, w: cropSize))
        for outputChannel in 0..<3 {
            for y in 0..<cropSize {
                for x in 0..<cropSize {
                    tensor[0, outputChannel, y, x] = value(image, x: left + x, y: top + y, outputChannel: outputChannel)
                }
            }
        }
        return tensor
    }

    @inline(__always)
    private func value(_ image: RGBImage, x: Int, y: Int, outputChannel: Int) -> Float {
        switch self {
        case .authors:
            return Float(image[x, y, 2 - outputChannel])  // B, G, R
        case .torchvision:
            // Divide (not multiply by the reciprocal) to round exactly as torchvision does.
            let level = Float(image[x, y, outputChannel]) / 255
            return (level - Self.torchvisionMean[outputChannel]) / Self.torchvisionStd[outputChannel]
        }
    }
}

/// Why an image could not be preprocessed.
public enum PreprocessingError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptyImage(width: Int, height: Int)
    case invalidSize(cropSize: Int, resizeShortSide: Int)
    case cropTooLarge(cropSize: Int, maximum: Int)

    public var description: String {
        switch self {
        case .emptyImage(let width, let height):
            return "image is empty (\(width)×\(height) pixels)"
        case .invalidSize(let cropSize, let resizeShortSide):
            return "crop size \(cropSize) must be positive and at most the resized short side \(resizeShortSide)"
        case .cropTooLarge(let cropSize, let maximum):
            return "crop size \(cropSize) is larger than the largest supported, \(maximum)"
        }
    }
}
