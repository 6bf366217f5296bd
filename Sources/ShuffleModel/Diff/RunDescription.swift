import Foundation
import ShuffleEngine

/// One side of a comparison: a weights file run on an input under a shuffle convention and a
/// precision, or a directory of step outputs written earlier.
public struct RunDescription: Sendable, Equatable {
    /// A weights file (any format the loader reads) or a dump directory.
    public var path: URL
    /// An image or `.npy` tensor; nil: the bundled photo.
    public var input: URL?
    /// nil: what the weights expect.
    public var preprocessing: Preprocessing?
    /// Side of the square crop for images (a `.npy` input keeps its size).
    public var inputSize: Int
    /// nil: the convention the weights were trained with.
    public var shuffle: ShuffleConvention?
    public var precision: Precision

    public init(
        path: URL, input: URL? = nil, preprocessing: Preprocessing? = nil, inputSize: Int = 224,
        shuffle: ShuffleConvention? = nil, precision: Precision = .f32
    ) {
        self.path = path
        self.input = input
        self.preprocessing = preprocessing
        self.inputSize = inputSize
        self.shuffle = shuffle
        self.precision = precision
    }

    public var isDump: Bool { StepDumpReader.isDump(path) }

    /// `g3.safetensors (paper shuffle, int8)`; a dump's directory name.
    public var label: String {
        if isDump { return path.lastPathComponent + "/ (step dump)" }
        var details: [String] = []
        if let shuffle { details.append("\(shuffle.optionName) shuffle") }
        details.append(precision.rawValue)
        if let input { details.append("input \(input.lastPathComponent)") }
        return "\(path.lastPathComponent) (\(details.joined(separator: ", ")))"
    }

    /// The network and its input tensor (a `.npy` input decides the network's size).
    public func load() throws -> (network: any ShuffleNetwork, input: Tensor) {
        if let input {
            let bytes = try FileReader.bytes(at: input)
            if InputFormat.detect(bytes) == .npy {
                let tensor = try InputLoader.load(bytes: bytes, file: input.path, preprocessing: .authors, size: inputSize)
                let network = try ModelLoader.load(
                    ModelRequest(weights: path, inputSize: PlaneSize(height: tensor.shape.h, width: tensor.shape.w), shuffle: shuffle))
                return (network, tensor)
            }
            let network = try ModelLoader.load(ModelRequest(weights: path, inputSize: PlaneSize(inputSize), shuffle: shuffle))
            let preparation = preprocessing.map { network.preparation.with(preprocessing: $0) } ?? network.preparation
            let tensor = try InputLoader.load(
                bytes: bytes, file: input.path, preprocessing: preparation.preprocessing, size: inputSize,
                resizeShortSide: preparation.resizeShortSide(forCrop: inputSize))
            return (network, tensor)
        }
        let network = try ModelLoader.load(ModelRequest(weights: path, inputSize: PlaneSize(inputSize), shuffle: shuffle))
        let preparation = preprocessing.map { network.preparation.with(preprocessing: $0) } ?? network.preparation
        let tensor = try InputLoader.loadDefault(
            preprocessing: preparation.preprocessing, size: inputSize,
            resizeShortSide: preparation.resizeShortSide(forCrop: inputSize))
        return (network, tensor)
    }

    /// Every step of this run: read from the dump, or computed.
    public func trace(threads: Int = 1) throws -> RunTrace {
        if isDump { return try StepDumpReader.read(directory: path, label: label) }
        let (network, input) = try load()
        let executor = try PrecisionSimulation.run(graph: network.graph, input: input, precision: precision, threads: threads)
        return RunTrace(label: label, executor: executor)
    }
}
