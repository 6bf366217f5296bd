import Foundation
import ShuffleEngine

/// Which ShuffleNet a loaded model is.
public enum ModelArchitecture: String, Sendable, CaseIterable, Equatable {
    case v1
    case v2
}

/// A ShuffleNet ready to run, whatever its architecture: what the commands and the inspector use.
public protocol ShuffleNetwork: Sendable, CustomStringConvertible {
    var architecture: ModelArchitecture { get }
    /// `ShuffleNet v1 1.0× g=3`, `ShuffleNet v2 1.0× (torchvision)`.
    var name: String { get }
    /// Everything about the network in one line (widths, input size, classes, shuffle).
    var configurationDescription: String { get }
    var inputSize: PlaneSize { get }
    var classes: Int { get }
    /// The convention of the graph's channel shuffles.
    var shuffle: ShuffleConvention { get }
    /// The groups every shuffle interleaves: v1's g, 2 for v2.
    var shuffleGroups: Int { get }
    /// The graph for one image.
    var graph: Graph { get }
    /// Every convolution and the classifier, as the checkpoint describes them.
    var spec: NetworkSpec { get }
    /// How images must be prepared for these weights.
    var preparation: InputPreparation { get }
    var isTrained: Bool { get }
    /// `seeded (untrained)`, `NAME (trained)`, or `NAME: seeded (untrained)` for exported seeded weights.
    var weightsDescription: String { get }
    /// The weights file, nil for seeded weights.
    var weightsFile: URL? { get }
    /// `ShuffleNet v1 g=3`, `ShuffleNet v2 (torchvision)`: the family without the width.
    var familyDescription: String { get }
    /// `1.0×`.
    var widthLabel: String { get }
    /// JSON fields describing the model (`"name":…,"arch":…`), shared by every command's JSON.
    var jsonFields: [String] { get }

    /// The same weights with another shuffle convention (`.disabled` for the no-shuffle ablation).
    func rebuilt(shuffle: ShuffleConvention) -> any ShuffleNetwork
    /// The graph for a batch of images.
    func graph(batchSize: Int) throws(ConfigurationError) -> Graph
}

extension ShuffleNetwork {
    /// `ShuffleNet v1 1.0× g=3 [24, 240, 480, 960], 224×224, 1000 classes, authors' shuffle; seeded (untrained)`.
    public var description: String { "\(configurationDescription); \(weightsDescription)" }

    /// The JSON object `{"name":…,…}`.
    public var json: String { "{" + jsonFields.joined(separator: ",") + "}" }

    /// Fields every architecture shares.
    var commonJSONFields: [String] {
        [
            "\"name\":\(JSONText.quote(name))", "\"arch\":\(JSONText.quote(architecture.rawValue))",
            "\"input_size\":[\(inputSize.height),\(inputSize.width)]", "\"classes\":\(classes)",
            "\"shuffle\":\(JSONText.quote(shuffle.optionName))", "\"weights\":\(JSONText.quote(weightsDescription))",
            "\"trained\":\(isTrained)", "\"preprocess\":\(JSONText.quote(preparation.preprocessing.rawValue))",
        ]
    }

    /// `seeded (untrained)`, `NAME (trained)` (a file nothing marks as seeded), or
    /// `NAME: seeded (untrained)` for weights this program exported.
    static func describeWeights(file: URL?, isTrained: Bool) -> String {
        switch (file?.lastPathComponent, isTrained) {
        case (nil, _): return CheckpointTensors.seededMarker
        case (let name?, true): return "\(name) (trained)"
        case (let name?, false): return "\(name): \(CheckpointTensors.seededMarker)"
        }
    }
}

/// The preprocessing a model's weights expect: the preset and how far to resize before the crop.
public struct InputPreparation: Sendable, Equatable {
    public var preprocessing: Preprocessing
    /// The short side before a crop of `crop` is `crop · resizeRatio.over / resizeRatio.crop`,
    /// rounded: 256 / 224 (8 / 7) for most ImageNet models, 232 / 224 for torchvision's larger v2.
    public var resizeRatio: (over: Int, crop: Int)

    public init(preprocessing: Preprocessing, resizeRatio: (over: Int, crop: Int) = (256, 224)) {
        self.preprocessing = preprocessing
        self.resizeRatio = resizeRatio
    }

    public static func == (a: InputPreparation, b: InputPreparation) -> Bool {
        a.preprocessing == b.preprocessing && a.resizeRatio == b.resizeRatio
    }

    /// 256 for a 224 crop at the usual ratio (as `Preprocessing.resizeShortSide(forCrop:)`), 232
    /// for torchvision's larger v2 models.
    public func resizeShortSide(forCrop crop: Int) -> Int {
        (crop * resizeRatio.over + resizeRatio.crop / 2) / resizeRatio.crop
    }

    /// The same with another preset (a user's `--preprocess`), keeping the resize.
    public func with(preprocessing: Preprocessing) -> InputPreparation {
        InputPreparation(preprocessing: preprocessing, resizeRatio: resizeRatio)
    }
}
