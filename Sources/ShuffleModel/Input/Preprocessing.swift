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

    /// The short side to resize to before cropping `cropSize`: `cropSize · 8 / 7` rounded,
    /// which is 256 for 224 (the standard ImageNet ratio).
    public static func resizeShortSide(forCrop cropSize: Int) -> Int {
        (cropSize * 8 + 3) / 7
    }

    /// The image size after the resize step: `(width, height)`.
    public func resizedSize(width: Int, height: Int, shortSide: Int) -> (width: Int, height: Int) {
        switch self {
        case .authors:
            // target_size = (int(size / H * W + 0.5), size) if H < W else (size, int(size / W * H + 0.5))
            if height < width {
                return (Int(Double(shortSide) / Double(height) * Double(width) + 0.5), shortSide)
            }
            return (shortSide, Int(Double(shortSide) / Double(width) * Double(height) + 0.5))
        case .torchvision:
            // new_long = int(size * long / short), the short side being the width on ties.
            if width <= height {
                return (shortSide, Int(Double(shortSide * height) / Double(width)))
            }
            return (Int(Double(shortSide * width) / Double(height)), shortSide)
        }
    }

    /// Resizes, crops and converts `image` to a `[1, 3, cropSize, cropSize]` tensor.
    ///
    /// `resizeShortSide` defaults to `resizeShortSide(forCrop:)`; it must be at least `cropSize`.
    public func apply(
        to image: RGBImage, cropSize: Int, resizeShortSide: Int? = nil
    ) throws(PreprocessingError) -> Tensor {
        let shortSide = resizeShortSide ?? Self.resizeShortSide(forCrop: cropSize)
        guard image.width > 0, image.height > 0 else {
            throw .emptyImage(width: image.width, height: image.height)
        }
        guard cropSize > 0, shortSide >= cropSize else {
            throw .invalidSize(cropSize: cropSize, resizeShortSide: shortSide)
        }
        let size = resizedSize(width: image.width, height: image.height, shortSide: shortSide)
        let resized: RGBImage
        switch self {
        case .authors: resized = Resize.linearOpenCV(image, width: size.width, height: size.height)
        case .torchvision: resized = Resize.bilinearPillow(image, width: size.width, height: size.height)
        }
        return toTensor(resized, top: Self.centerOffset(resized.height, cropSize),
            left: Self.centerOffset(resized.width, cropSize), cropSize: cropSize)
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

    public var description: String {
        switch self {
        case .emptyImage(let width, let height):
            return "image is empty (\(width)×\(height) pixels)"
        case .invalidSize(let cropSize, let resizeShortSide):
            return "crop size \(cropSize) must be positive and at most the resized short side \(resizeShortSide)"
        }
    }
}
