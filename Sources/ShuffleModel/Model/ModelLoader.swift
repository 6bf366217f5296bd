import Foundation
import ShuffleEngine

/// What a user asked for: a weights file, or an architecture to seed, plus options that must
/// agree with the file when there is one.
public struct ModelRequest: Sendable, Equatable {
    /// The weights file; nil seeds untrained weights.
    public var weights: URL?
    /// Without a file: which ShuffleNet (default v1). With one: must match it when given.
    public var architecture: ModelArchitecture?
    /// v2 only: which checkpoint family's layout (default torchvision).
    public var layout: ShuffleNetV2Layout?
    /// v1 only.
    public var groups: Int?
    public var width: Double?
    public var classes: Int?
    public var inputSize: PlaneSize
    /// nil: the convention the weights were trained with.
    public var shuffle: ShuffleConvention?

    public init(
        weights: URL? = nil, architecture: ModelArchitecture? = nil, layout: ShuffleNetV2Layout? = nil,
        groups: Int? = nil, width: Double? = nil, classes: Int? = nil, inputSize: PlaneSize = 224,
        shuffle: ShuffleConvention? = nil
    ) {
        self.weights = weights
        self.architecture = architecture
        self.layout = layout
        self.groups = groups
        self.width = width
        self.classes = classes
        self.inputSize = inputSize
        self.shuffle = shuffle
    }
}

/// Loads any ShuffleNet: the architecture comes from the file's keys and shapes, or from the
/// request when seeding.
public enum ModelLoader {
    public static func load(_ request: ModelRequest) throws -> any ShuffleNetwork {
        try check(request)
        guard let url = request.weights else { return try seeded(request) }
        if ONNXShuffleNet.isONNX(url) { return try loadONNX(url, request: request) }
        let checkpoint = try CheckpointTensors.open(url)
        if let layout = ShuffleNetV2Configuration.layout(of: checkpoint.shapes) {
            return try loadV2(checkpoint, layout: layout, url: url, request: request)
        }
        if CheckpointLayout.keys.contains(where: { checkpoint.shapes[$0] != nil }) {
            try expect(.v1, request: request, file: checkpoint.origin, found: "ShuffleNet v1")
            if request.layout != nil { throw ConfigurationError.notApplicable(option: "--layout", architecture: "ShuffleNet v1") }
            return try ShuffleNetModel.load(
                checkpoint: checkpoint, url: url, groups: request.groups, width: request.width, classes: request.classes,
                inputSize: request.inputSize, shuffle: request.shuffle)
        }
        throw WeightsError.unrecognizedLayout(file: checkpoint.origin, sampleKeys: checkpoint.shapes.keys.sorted())
    }

    /// Rejects option combinations before any file is touched, so a typo is not reported as a file problem.
    static func check(_ request: ModelRequest) throws {
        let v2 = request.architecture == .v2 || request.layout != nil
        if v2, request.groups != nil {
            throw ConfigurationError.notApplicable(option: "--groups", architecture: "ShuffleNet v2 (its shuffles always interleave 2 halves)")
        }
        if v2, let width = request.width, request.weights == nil, !ShuffleNetV2Configuration.supportedWidths.contains(width) {
            throw ConfigurationError.unsupportedV2Width(width)
        }
        if request.architecture == .v1, request.layout != nil {
            throw ConfigurationError.notApplicable(option: "--layout", architecture: "ShuffleNet v1")
        }
        try ShuffleNetConfiguration.checkInputSize(request.inputSize)
    }

    private static func seeded(_ request: ModelRequest) throws -> any ShuffleNetwork {
        if request.architecture == .v2 || request.layout != nil {
            let configuration = try ShuffleNetV2Configuration(
                layout: request.layout ?? .torchvision, width: request.width ?? 1.0, inputSize: request.inputSize,
                classes: request.classes ?? 1000, shuffle: request.shuffle)
            return try ShuffleNetV2Model.seeded(configuration)
        }
        return try ShuffleNetModel.load(
            groups: request.groups, width: request.width, inputSize: request.inputSize, classes: request.classes,
            shuffle: request.shuffle)
    }

    private static func loadV2(
        _ checkpoint: CheckpointTensors, layout: ShuffleNetV2Layout, url: URL, request: ModelRequest
    ) throws -> any ShuffleNetwork {
        try expect(.v2, request: request, file: checkpoint.origin, found: "ShuffleNet v2 (\(layout.rawValue))")
        if request.groups != nil {
            throw ConfigurationError.notApplicable(option: "--groups", architecture: "ShuffleNet v2")
        }
        var configuration = try ShuffleNetV2Configuration.inferred(
            from: checkpoint, layout: layout, inputSize: request.inputSize)
        if let requested = request.layout, requested != layout {
            throw WeightsError.configurationMismatch(
                file: checkpoint.origin, requested: "the \(requested.rawValue) layout", found: configuration.description)
        }
        if let width = request.width, width != configuration.width {
            throw WeightsError.configurationMismatch(
                file: checkpoint.origin, requested: "width \(ShuffleNetConfiguration.label(width: width))",
                found: configuration.description)
        }
        if let classes = request.classes, classes != configuration.classes {
            throw WeightsError.configurationMismatch(
                file: checkpoint.origin, requested: "\(classes) classes", found: configuration.description)
        }
        if let shuffle = request.shuffle { configuration = configuration.with(shuffle: shuffle) }
        return try ShuffleNetV2Model(configuration: configuration, checkpoint: checkpoint, weightsFile: url)
    }

    /// An ONNX graph, imported for the requested input size; options that describe a checkpoint's
    /// layout must agree with what was recognised, the shuffle convention may be changed.
    private static func loadONNX(_ url: URL, request: ModelRequest) throws -> any ShuffleNetwork {
        let model = try ONNXShuffleNet(bytes: Data(try FileReader.bytes(at: url)), url: url, inputSize: request.inputSize)
        try expect(model.architecture, request: request, file: url.path, found: model.name)
        for (option, given) in [("--layout", request.layout != nil), ("--groups", request.groups != nil),
                                ("--width", request.width != nil), ("--classes", request.classes != nil)] where given {
            throw ConfigurationError.notApplicable(option: option, architecture: "an ONNX model (its graph fixes it)")
        }
        guard let shuffle = request.shuffle else { return model }
        return model.rebuiltModel(shuffle: shuffle)
    }

    private static func expect(
        _ architecture: ModelArchitecture, request: ModelRequest, file: String, found: String
    ) throws(WeightsError) {
        if let requested = request.architecture, requested != architecture {
            throw .configurationMismatch(file: file, requested: "--arch \(requested.rawValue)", found: found)
        }
    }
}
