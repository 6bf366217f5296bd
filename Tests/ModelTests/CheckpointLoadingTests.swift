import Foundation
import ShuffleEngine
import Testing

@testable import ShuffleModel

/// Files in the authors' layout, written here with one thing wrong at a time.
@Suite struct CheckpointLoadingTests {
    /// The network most tests write: 0.25× g=3 with 10 classes.
    static func fixture() throws -> ShuffleNetConfiguration {
        try ShuffleNetConfiguration(groups: 3, width: 0.25, classes: 10)
    }

    /// Seeded tensors keyed by the authors' names (default: the fixture's).
    static func tensors(_ configuration: ShuffleNetConfiguration? = nil) throws -> [String: ParameterTensor] {
        ShuffleNetWeights.seeded(configuration: try configuration ?? fixture()).tensors
    }

    /// Writes `tensors` (F32, in layout order where possible), with optional key prefix and extras.
    static func write(
        _ tensors: [String: ParameterTensor], to directory: ModelScratchDirectory, name: String = "model.safetensors",
        prefix: String = "", format: SafeTensorsWriter.FloatFormat = .f32, extra: [SafeTensorsWriter.Tensor] = [],
        metadata: [String: String] = [:]
    ) throws -> URL {
        let ordered =
            CheckpointLayout.keys.filter { tensors[$0] != nil }
            + tensors.keys.filter { !CheckpointLayout.keys.contains($0) }.sorted()
        let entries = ordered.compactMap { key in
            tensors[key].map {
                SafeTensorsWriter.Tensor(name: prefix + key, shape: $0.shape, values: $0.values, format: format)
            }
        }
        let url = directory.url.appendingPathComponent(name)
        try SafeTensorsWriter.write(entries + extra, metadata: metadata, to: url)
        return url
    }

    /// The error `body` throws, or nil.
    static func weightsError(_ body: () throws -> Void) -> WeightsError? {
        do { try body() } catch let error as WeightsError { return error } catch { return nil }
        return nil
    }

    @Test func exportedWeightsReloadUnchanged() throws {
        let directory = try ModelScratchDirectory()
        let fixture = try Self.fixture()
        let seeded = ShuffleNetWeights.seeded(configuration: fixture)
        let url = directory.url.appendingPathComponent("seeded.safetensors")
        try seeded.write(to: url)
        let loaded = try ShuffleNetWeights.load(contentsOf: url)
        #expect(loaded.tensors == seeded.tensors)
        #expect(loaded.groups == 3 && loaded.widths == fixture.widths && loaded.classes == 10)
        #expect(loaded.width == 0.25 && loaded.hasStandardWidths)
        #expect(!loaded.isTrained)  // the seeded marker travels in the metadata
        let file = try SafeTensorsFile(contentsOf: url)
        #expect(file.entries["features.3.branch_main_1.1.num_batches_tracked"]?.dtype == .i64)
    }

    @Test func acceptsDataParallelPrefixCountersAndHalfPrecision() throws {
        let directory = try ModelScratchDirectory()
        let tensors = try Self.tensors()
        let counters = CheckpointLayout.keys.filter { $0.hasSuffix(".running_var") }.map {
            SafeTensorsWriter.Tensor(
                name: "module." + $0.replacingOccurrences(of: "running_var", with: "num_batches_tracked"), shape: [],
                int64: [1000])
        }
        let url = try Self.write(tensors, to: directory, prefix: "module.", format: .f16, extra: counters)
        let loaded = try ShuffleNetWeights.load(contentsOf: url)
        #expect(loaded.isTrained)
        for key in CheckpointLayout.keys {
            let original = try #require(tensors[key])
            let read = try #require(loaded.tensors[key])
            #expect(read.shape == original.shape)
            // F16 keeps 11 significant bits: relative error at most 2^-11 for normal values.
            let worst = zip(read.values, original.values).map { abs($0 - $1) / max(abs($1), 1e-3) }.max() ?? 0
            #expect(worst <= 0x1p-11, "\(key)")
        }
    }

    @Test func infersEveryStandardConfiguration() throws {
        let directory = try ModelScratchDirectory()
        for groups in ShuffleNetConfiguration.supportedGroups {
            for width in [0.25, 0.5] {
                let configuration = try ShuffleNetConfiguration(groups: groups, width: width, classes: 5)
                let url = try Self.write(
                    try Self.tensors(configuration), to: directory, name: "g\(groups)-\(width).safetensors")
                let loaded = try ShuffleNetWeights.load(contentsOf: url)
                #expect(loaded.groups == groups, "g=\(groups) \(width)×")
                #expect(
                    loaded.widths == configuration.widths && loaded.width == width && loaded.hasStandardWidths,
                    "g=\(groups) \(width)×")
                #expect(loaded.classes == 5)
            }
        }
    }

    @Test func acceptsNonStandardWidths() throws {
        let directory = try ModelScratchDirectory()
        let custom = try ShuffleNetConfiguration(groups: 2, widths: [8, 48, 96, 192], width: 0.24, classes: 3)
        let loaded = try ShuffleNetWeights.load(contentsOf: try Self.write(try Self.tensors(custom), to: directory))
        #expect(loaded.widths == [8, 48, 96, 192])
        #expect(!loaded.hasStandardWidths)
        #expect(loaded.width == 0.24)  // 48 / 200
        #expect(throws: WeightsError.self) { try loaded.check(groups: nil, width: 0.25, classes: nil) }
    }

    @Test func reportsMissingAndUnexpectedKeys() throws {
        let directory = try ModelScratchDirectory()
        var tensors = try Self.tensors()
        tensors["features.15.branch_main_2.1.running_var"] = nil
        let missing = try Self.write(tensors, to: directory, name: "missing.safetensors")
        #expect(throws: WeightsError.missingKeys(file: missing.path, network: ShuffleNetConfiguration.family, keys: ["features.15.branch_main_2.1.running_var"]))
        {
            try ShuffleNetWeights.load(contentsOf: missing)
        }
        tensors = try Self.tensors()
        tensors["features.16.branch_main_1.0.weight"] = ParameterTensor(shape: [1], values: [0])
        tensors["classifier.0.bias"] = ParameterTensor(shape: [10], values: Array(repeating: 0, count: 10))
        let extra = try Self.write(tensors, to: directory, name: "extra.safetensors")
        #expect(
            throws: WeightsError.unexpectedKeys(
                file: extra.path, network: ShuffleNetConfiguration.family, keys: ["classifier.0.bias", "features.16.branch_main_1.0.weight"])
        ) {
            try ShuffleNetWeights.load(contentsOf: extra)
        }
        let other = try Self.write(
            ["conv1.weight": ParameterTensor(shape: [1], values: [1])], to: directory, name: "other.safetensors")
        #expect(throws: WeightsError.unrecognizedLayout(file: other.path, sampleKeys: ["conv1.weight"])) {
            try ShuffleNetWeights.load(contentsOf: other)
        }
    }

    @Test func reportsWrongShapesWithBothShapes() throws {
        let directory = try ModelScratchDirectory()
        var tensors = try Self.tensors()
        let key = "features.5.branch_main_1.3.weight"
        let mid = try Self.fixture().widths[2] / 4  // stage 3
        tensors[key] = ParameterTensor(shape: [mid, 1, 5, 5], values: Array(repeating: 0.1, count: mid * 25))
        let url = try Self.write(tensors, to: directory)
        let error = Self.weightsError { _ = try ShuffleNetWeights.load(contentsOf: url) }
        #expect(error == .shapeMismatch(file: url.path, key: key, expected: [mid, 1, 3, 3], actual: [mid, 1, 5, 5]))
        let message = error?.description ?? ""
        #expect(
            message.contains(url.path) && message.contains(key) && message.contains("[\(mid), 1, 3, 3]")
                && message.contains("[\(mid), 1, 5, 5]"))
    }

    @Test func reportsImpossibleGroupCounts() throws {
        let directory = try ModelScratchDirectory()
        var tensors = try Self.tensors()
        let key = "features.1.branch_main_1.0.weight"
        let original = try #require(tensors[key])
        tensors[key] = ParameterTensor(
            shape: [original.shape[0], 7, 1, 1], values: Array(repeating: 0, count: original.shape[0] * 7))
        let url = try Self.write(tensors, to: directory)
        guard
            case .unsupportedLayout(let file, let reportedKey, let shape, _)? = Self.weightsError({
                _ = try ShuffleNetWeights.load(contentsOf: url)
            })
        else {
            Issue.record("expected an unsupported layout")
            return
        }
        #expect(file == url.path && reportedKey == key && shape == [original.shape[0], 7, 1, 1])
    }

    @Test func rejectsNonFiniteValuesAndNegativeVariances() throws {
        let directory = try ModelScratchDirectory()
        for (key, index, value) in [
            ("features.2.branch_main_2.0.weight", 3, Float.nan), ("classifier.0.weight", 0, Float.infinity),
            ("first_conv.1.bias", 1, -Float.infinity),
        ] {
            var tensors = try Self.tensors()
            tensors[key]?.values[index] = value
            let url = try Self.write(tensors, to: directory)
            let error = Self.weightsError { _ = try ShuffleNetModel.load(weights: url) }
            guard case .nonFiniteValue(let file, let reportedKey, let reportedIndex, let reportedValue)? = error else {
                Issue.record("\(key): got \(String(describing: error))")
                continue
            }
            #expect(file == url.path && reportedKey == key && reportedIndex == index)
            #expect(reportedValue.isNaN == value.isNaN && (value.isNaN || reportedValue == value))
        }
        var tensors = try Self.tensors()
        tensors["features.7.branch_main_1.4.running_var"]?.values[2] = -0.5
        let url = try Self.write(tensors, to: directory)
        #expect(
            throws: WeightsError.negativeVariance(
                file: url.path, key: "features.7.branch_main_1.4.running_var", index: 2, value: -0.5)
        ) {
            try ShuffleNetModel.load(weights: url)
        }
    }

    @Test func rejectsIntegerWeights() throws {
        let directory = try ModelScratchDirectory()
        var tensors = try Self.tensors()
        let stem = try #require(tensors[CheckpointLayout.stem.weight])
        tensors[CheckpointLayout.stem.weight] = nil
        let int8 = SafeTensorsWriter.Tensor(
            name: CheckpointLayout.stem.weight, dtype: "I8", shape: stem.shape,
            bytes: Array(repeating: 1, count: stem.values.count))
        let url = try Self.write(tensors, to: directory, extra: [int8])
        #expect(throws: WeightsError.unsupportedDtype(file: url.path, key: CheckpointLayout.stem.weight, dtype: "I8")) {
            try ShuffleNetWeights.load(contentsOf: url)
        }
    }

    @Test func requestedConfigurationMustMatchTheFile() throws {
        let directory = try ModelScratchDirectory()
        let url = try Self.write(try Self.tensors(), to: directory)
        let fixture = try Self.fixture()
        let found = "ShuffleNet v1 0.25× g=3 \(fixture.widths), 10 classes"
        #expect(throws: WeightsError.configurationMismatch(file: url.path, requested: "groups 8", found: found)) {
            try ShuffleNetModel.load(weights: url, groups: 8)
        }
        #expect(
            throws: WeightsError.configurationMismatch(
                file: url.path, requested: "width 1.0× (widths [24, 240, 480, 960] at g=3)", found: found)
        ) {
            try ShuffleNetModel.load(weights: url, width: 1.0)
        }
        #expect(throws: WeightsError.configurationMismatch(file: url.path, requested: "1000 classes", found: found)) {
            try ShuffleNetModel.load(weights: url, classes: 1000)
        }
        let matching = try ShuffleNetModel.load(weights: url, groups: 3, width: 0.25, inputSize: 64, classes: 10)
        #expect(matching.configuration.widths == fixture.widths && matching.configuration.inputSize == 64)
    }

    @Test func readingAPictureAsWeightsSaysSo() throws {
        let directory = try ModelScratchDirectory()
        let url = try directory.file(
            "photo.png", Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 64)))
        let error = Self.weightsError { _ = try ShuffleNetModel.load(weights: url) }
        #expect(error == .unknownFormat(file: url.path, detail: "it is a PNG image"))
        #expect(
            error?.description
                == "'\(url.path)' is not a weights file shufflescope reads (safetensors or a PyTorch checkpoint): it is a PNG image")
    }
}
