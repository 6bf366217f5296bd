import ArgumentParser
import Foundation
import ShuffleEngine
import ShuffleModel

/// Options that choose the input image and how it is prepared.
struct InputOptions: ParsableArguments {
    @Option(help: "Input: a PNG, JPEG or binary PPM image, or a .npy float32 [1,3,H,W] / [3,H,W] tensor used as is. Default: the bundled photo.")
    var input: String?

    @Option(help: "Image preprocessing: authors (BGR, 0–255, short side 256, crop) or torchvision (RGB, ImageNet mean/std). Default: what the weights expect.")
    var preprocess: String?

    @Option(
        name: .customLong("input-size"), parsing: .unconditional,
        help: "Side of the square crop fed to the network, \(InputSizeLimit.range) (images only; a .npy input keeps its own size).")
    var inputSize: Int = 224

    /// The preprocessing preset, checked.
    func preprocessing(default name: String) throws -> Preprocessing {
        let chosen = preprocess ?? name
        guard let preset = Preprocessing(rawValue: chosen.lowercased()) else {
            let names = Preprocessing.allCases.map(\.rawValue).joined(separator: ", ")
            throw UsageError("unknown preprocessing '\(chosen)'; use \(names)")
        }
        return preset
    }

    /// A short description for headers: the file name or the bundled photo's.
    var inputDescription: String {
        if let input { return URL(fileURLWithPath: input).lastPathComponent }
        return "\(BundledAssets.defaultImage.name) (bundled)"
    }

    /// Loads the input tensor, and whether it was preprocessed (images) or taken as is (.npy).
    /// A .npy input decides the network's input size.
    func load(preprocessing: Preprocessing) throws -> (tensor: Tensor, preprocessed: Bool) {
        try InputSizeLimit.check(inputSize)
        guard let input else {
            return (try InputLoader.loadDefault(preprocessing: preprocessing, size: inputSize), true)
        }
        let bytes = try FileReader.bytes(at: URL(fileURLWithPath: input))
        let tensor = try InputLoader.load(bytes: bytes, file: input, preprocessing: preprocessing, size: inputSize)
        return (tensor, InputFormat.detect(bytes) != .npy)
    }
}

/// The one rule for `--input-size` in every command: from the smallest input the network's five
/// stride-2 layers accept to the largest the model supports, checked before any work.
enum InputSizeLimit {
    static var range: String {
        "\(ShuffleNetConfiguration.minimumInputSize)…\(ShuffleNetConfiguration.maximumInputSize)"
    }

    static func check(_ size: Int) throws {
        let allowed = ShuffleNetConfiguration.minimumInputSize...ShuffleNetConfiguration.maximumInputSize
        guard allowed.contains(size) else {
            throw UsageError("--input-size must be between \(allowed.lowerBound) and \(allowed.upperBound), not \(size)")
        }
    }
}

/// A loaded model and the input it runs on, sized to each other.
struct LoadedRun {
    var model: ShuffleNetModel
    var input: Tensor
    var preprocessing: Preprocessing
    /// False for a .npy input, which is used as is.
    var preprocessed: Bool

    /// How the input was prepared, for headers: `authors preprocessing` or `used as is`.
    var preparation: String { preprocessed ? "\(preprocessing.rawValue) preprocessing" : "used as is" }

    /// Loads the input first (a .npy decides the size), then the model for that size.
    init(model options: ModelOptions, input inputOptions: InputOptions) throws {
        // The released weights and seeded weights both expect the authors' preset.
        preprocessing = try inputOptions.preprocessing(default: "authors")
        (input, preprocessed) = try inputOptions.load(preprocessing: preprocessing)
        guard input.shape.n == 1, input.shape.c == 3 else {
            throw UsageError("the input must have 1 image of 3 channels, got \(input.shape)")
        }
        model = try options.load(inputSize: PlaneSize(height: input.shape.h, width: input.shape.w))
    }
}
