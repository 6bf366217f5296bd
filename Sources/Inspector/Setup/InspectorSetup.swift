import ShuffleEngine

/// Everything the inspector needs from the command line: the network, its input, and how to
/// describe them. The inspector builds its graphs through `makeGraph`, so the shuffle ablation can
/// rebuild the same network with `.disabled` (the identity in place of every channel shuffle).
public struct InspectorSetup {
    /// "ShuffleNet v1 1.0× g=3".
    public var modelDescription: String
    /// "seeded (untrained)" or a weights file name.
    public var weightsDescription: String
    /// False for seeded weights; the header then marks the run as untrained.
    public var isTrained: Bool
    /// "chelsea.jpg (bundled) (authors preprocessing)": the name first, details in parentheses
    /// (a narrow header keeps only the name).
    public var inputDescription: String
    /// The network's group count g: channels after the stem divide into g contiguous bands.
    public var groups: Int
    /// The convention the weights were trained with (ablation switches to `.disabled`).
    public var convention: ShuffleConvention
    /// The network input, `[1, 3, H, W]`.
    public var input: Tensor
    /// Class names, one per logit, when the classifier has that many outputs.
    public var labels: [String]?
    /// Builds the network with channel shuffles in this convention (`.disabled`: no shuffle).
    /// Both graphs must have the same node names and shapes.
    public var makeGraph: (ShuffleConvention) throws -> Graph
    /// Measured passes of the profile view (after one warm-up pass).
    public var profilePasses: Int
    /// How the input tensor holds its pixels (for showing the photo in the focus view).
    public var inputPixels: InputPixels = .unknown
    /// Threads the engine uses for stepping and profiling (the command line passes every core).
    public var threads: Int = 1
    /// Side B of compare mode (`d`); nil compares with the same network without shuffles.
    public var comparison: ComparisonSource? = nil

    public init(
        modelDescription: String, weightsDescription: String, isTrained: Bool, inputDescription: String,
        groups: Int, convention: ShuffleConvention, input: Tensor, labels: [String]? = nil,
        profilePasses: Int = 20, makeGraph: @escaping (ShuffleConvention) throws -> Graph
    ) {
        self.modelDescription = modelDescription
        self.weightsDescription = weightsDescription
        self.isTrained = isTrained
        self.inputDescription = inputDescription
        self.groups = max(1, groups)
        self.convention = convention
        self.input = input
        self.labels = labels
        self.profilePasses = profilePasses
        self.makeGraph = makeGraph
    }
}

/// Why the inspector could not start or switch networks.
public struct InspectorError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
