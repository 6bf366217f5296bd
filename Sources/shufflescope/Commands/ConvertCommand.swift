import ArgumentParser
import Foundation
import ShuffleModel

/// `shufflescope convert`: a checkpoint (safetensors or PyTorch) to safetensors, or seeded weights to a file.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Write a checkpoint (PyTorch or safetensors) or seeded weights as a safetensors file.",
        discussion: """
            `convert IN OUT.safetensors` copies every tensor of IN with its key and element type as \
            stored (strided tensors made contiguous), for any architecture. `convert --seeded \
            [--groups G] [--width W] OUT.safetensors` writes the seeded, untrained weights of that \
            configuration. The metadata says where the file came from and whether it is trained; the \
            file is written atomically.
            """
    )

    @Argument(help: "IN OUT.safetensors, or only OUT.safetensors with --seeded.")
    var files: [String]

    @Flag(help: "Write seeded, untrained weights instead of converting a file.")
    var seeded = false

    @Option(help: "Architecture of the seeded network (default v1).")
    var arch: ModelArchitecture?

    @Option(help: "ShuffleNet v2 layout of the seeded network (default torchvision).")
    var layout: ShuffleNetV2Layout?

    @Option(help: "Groups of the seeded ShuffleNet v1: 1, 2, 3, 4 or 8 (default 3).")
    var groups: Int?

    @Option(help: "Width multiplier of the seeded network: v1 0.25–2.0, v2 0.5–2.0 (default 1.0).")
    var width: Double?

    @Option(help: "Classes of the seeded network (default 1000).")
    var classes: Int?

    func run() throws {
        try reportingFailures(of: "convert") { emit(try convert()) }
    }

    /// What `run` prints.
    func convert() throws -> String {
        if seeded {
            guard files.count == 1, let output = files.first else {
                throw UsageError("with --seeded give only the output file, e.g. convert --seeded seeded.safetensors")
            }
            let model = try ModelLoader.load(
                ModelRequest(architecture: arch, layout: layout, groups: groups, width: width, classes: classes))
            let url = URL(fileURLWithPath: output)
            try model.spec.seeded().write(
                to: url, keys: model.spec.keys, metadata: [CheckpointConversion.sourceKey: "seeded"])
            return "wrote \(output): \(model.configurationDescription), seeded (untrained)\n"
        }
        guard arch == nil, layout == nil, groups == nil, width == nil, classes == nil else {
            throw UsageError("--arch, --layout, --groups, --width and --classes choose a seeded network; use them with --seeded")
        }
        guard files.count == 2 else { throw UsageError("give the input and the output file: convert IN OUT.safetensors") }
        let (count, metadata) = try CheckpointConversion.convert(
            URL(fileURLWithPath: files[0]), to: URL(fileURLWithPath: files[1]))
        let trained = metadata[ShuffleNetWeights.originMetadataKey] == ShuffleNetWeights.seededMarker ? "untrained" : "trained"
        return "wrote \(files[1]): \(count) tensors from \(files[0]) (\(metadata[CheckpointConversion.sourceFormatKey] ?? "?"), \(trained))\n"
    }
}
