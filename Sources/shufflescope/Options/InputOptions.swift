import ArgumentParser
import Foundation
import ShuffleEngine
import ShuffleModel

/// Options that choose the input image and how it is prepared.
struct InputOptions: ParsableArguments {
    @Option(help: "Input: a PNG, JPEG or binary PPM image, or a .npy float32 [1,3,H,W] / [3,H,W] tensor used as is. Default: the bundled photo.")
    var input: String?

    @Option(help: "Image preprocessing (default: what the weights expect: authors for v1 and the authors' v2, torchvision for torchvision's v2).")
    var preprocess: Preprocessing?

    @Option(
        name: .customLong("input-size"), parsing: .unconditional,
        help: "Side of the square crop fed to the network, \(InputSizeLimit.range) (images only; a .npy input keeps its own size).")
    var inputSize: Int = 224

    /// A short description for headers: the file name or the bundled photo's.
    var inputDescription: String {
        if let input { return URL(fileURLWithPath: input).lastPathComponent }
        return "\(BundledAssets.defaultImage.name) (bundled)"
    }

    /// Whether the input is a `.npy` tensor, which is used as is and decides the network's size.
    func isArray() throws -> Bool {
        guard let input else { return false }
        return InputFormat.detect(try FileReader.bytes(at: URL(fileURLWithPath: input))) == .npy
    }

    /// Loads the input tensor, prepared as `preparation` says (images) or as is (.npy).
    func load(preparation: InputPreparation) throws -> (tensor: Tensor, preprocessed: Bool) {
        try InputSizeLimit.check(inputSize)
        let resize = preparation.resizeShortSide(forCrop: inputSize)
        guard let input else {
            let tensor = try InputLoader.loadDefault(
                preprocessing: preparation.preprocessing, size: inputSize, resizeShortSide: resize)
            return (tensor, true)
        }
        let bytes = try FileReader.bytes(at: URL(fileURLWithPath: input))
        let tensor = try InputLoader.load(
            bytes: bytes, file: input, preprocessing: preparation.preprocessing, size: inputSize, resizeShortSide: resize)
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
    var model: any ShuffleNetwork
    var input: Tensor
    var preparation: InputPreparation
    /// False for a .npy input, which is used as is.
    var preprocessed: Bool

    /// How the input was prepared, for headers: `authors preprocessing` or `used as is`.
    var preparationDescription: String {
        preprocessed ? "\(preparation.preprocessing.rawValue) preprocessing" : "used as is"
    }

    /// A `.npy` input decides the network's size, so it is read first; an image is prepared the
    /// way the loaded weights expect unless `--preprocess` says otherwise.
    init(model options: ModelOptions, input inputOptions: InputOptions) throws {
        if try inputOptions.isArray() {
            (input, preprocessed) = try inputOptions.load(preparation: InputPreparation(preprocessing: .authors))
            guard input.shape.n == 1, input.shape.c == 3 else {
                throw UsageError("the input must have 1 image of 3 channels, got \(input.shape)")
            }
            model = try options.load(inputSize: PlaneSize(height: input.shape.h, width: input.shape.w))
            preparation = model.preparation
            return
        }
        try InputSizeLimit.check(inputOptions.inputSize)
        let model = try options.load(inputSize: PlaneSize(inputOptions.inputSize))
        let preparation = inputOptions.preprocess.map { model.preparation.with(preprocessing: $0) } ?? model.preparation
        self.model = model
        self.preparation = preparation
        (input, preprocessed) = try inputOptions.load(preparation: preparation)
    }
}
