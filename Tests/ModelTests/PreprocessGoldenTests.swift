import Foundation
import ShuffleEngine
import Testing

@testable import ShuffleModel

/// The presets against the reference pipelines themselves: the authors' OpenCV transform and
/// torchvision's, run by make_preprocess_fixtures.py on random images and two of the photos.
@Suite struct PreprocessGoldenTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var input: String
        var resize: Int
        var crop: Int
        var testDescription: String { "\(input) \(resize)→\(crop)" }
    }

    static let cases: [Case] = [
        Case(input: "preprocess/random_7x5.ppm", resize: 16, crop: 12),
        Case(input: "preprocess/random_61x43.ppm", resize: 20, crop: 16),
        Case(input: "preprocess/random_40x97.ppm", resize: 24, crop: 20),
        Case(input: "preprocess/random_1x1.ppm", resize: 16, crop: 12),
        Case(input: "preprocess/random_3x100.ppm", resize: 20, crop: 16),
        Case(input: "preprocess/random_100x3.ppm", resize: 20, crop: 16),
        Case(input: "preprocess/random_33x33.ppm", resize: 20, crop: 16),
        Case(input: "chelsea.jpg", resize: 64, crop: 56),
        Case(input: "coffee.png", resize: 64, crop: 56),
    ]

    @Test(arguments: cases, Preprocessing.allCases)
    func matchesTheReferencePipelineExactly(testCase: Case, preset: Preprocessing) throws {
        let url = testCase.input.hasPrefix("preprocess/") ? Fixtures.data(testCase.input) : Fixtures.asset(testCase.input)
        let image = try ImageDecoder.decode(Fixtures.bytes(url), file: testCase.input)
        let tensor = try preset.apply(to: image, cropSize: testCase.crop, resizeShortSide: testCase.resize)

        let stem = URL(fileURLWithPath: testCase.input).deletingPathExtension().lastPathComponent
        let expected = try Npy.readTensor(
            url: Fixtures.data("preprocess/\(stem)_\(preset.rawValue)_\(testCase.resize)_\(testCase.crop).npy"))
        #expect(tensor.shape == expected.shape)
        let mismatches = zip(tensor.storage, expected.storage).filter { $0 != $1 }.count
        #expect(mismatches == 0, "\(mismatches) of \(expected.storage.count) values differ")
    }
}
