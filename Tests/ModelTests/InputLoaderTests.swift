import Foundation
import ShuffleEngine
import Testing

@testable import ShuffleModel

@Suite struct InputLoaderTests {
    @Test func npyIsUsedAsItIs() throws {
        for name in ["ramp_v1.npy", "ramp_chw.npy"] {
            let tensor = try InputLoader.load(url: Fixtures.data("npy/\(name)"), preprocessing: .torchvision, size: 224)
            #expect(tensor == Tensor(shape: Shape(n: 1, c: 3, h: 2, w: 2), storage: NpyTests.ramp))
        }
    }

    @Test func npyOfTheWrongShapeNamesFileAndShape() {
        let url = Fixtures.data("npy/logits_2x3.npy")
        #expect(throws: InputError.unsupportedArrayShape(file: url.path, shape: [2, 3])) {
            try InputLoader.load(url: url, preprocessing: .authors, size: 224)
        }
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 0, 4)}"
        #expect(throws: InputError.unsupportedArrayShape(file: "e.npy", shape: [3, 0, 4])) {
            try InputLoader.load(
                bytes: NpyTests.file(header: header, data: []), file: "e.npy", preprocessing: .authors, size: 224)
        }
    }

    @Test func brokenNpyKeepsItsOwnError() {
        let url = Fixtures.data("npy/fortran.npy")
        #expect(throws: InputError.npy(.fortranOrder(file: url.path))) {
            try InputLoader.load(url: url, preprocessing: .authors, size: 224)
        }
    }

    @Test func imagesArePreprocessedByContentNotExtension() throws {
        // A PPM copied under a .png name still loads as PPM.
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let disguised = directory.appendingPathComponent("really-a-ppm.png")
        try AtomicFile.write(Fixtures.bytes(Fixtures.data("preprocess/random_61x43.ppm")), to: disguised)
        let tensor = try InputLoader.load(url: disguised, preprocessing: .authors, size: 16)
        let expected = try Npy.readTensor(url: Fixtures.data("preprocess/random_61x43_authors_20_16.npy"))
        // size 16 resizes the short side to round(16 · 8 / 7) = 18, not the fixture's 20.
        #expect(tensor.shape == expected.shape)
        let resizedTo20 = try Preprocessing.authors.apply(
            to: InputLoader.loadImage(url: disguised), cropSize: 16, resizeShortSide: 20)
        #expect(resizedTo20 == expected)
    }

    @Test func missingFileNamesThePath() {
        let url = URL(fileURLWithPath: "/nonexistent-directory-for-tests/cat.jpg")
        #expect(throws: InputError.fileSystem(FileIOError(path: url.path, operation: "open", reason: "No such file or directory"))) {
            try InputLoader.load(url: url, preprocessing: .authors, size: 224)
        }
    }

    @Test func emptyFileIsUnrecognized() {
        #expect(throws: InputError.unrecognizedFormat(file: "empty", leadingBytes: [])) {
            try InputLoader.load(bytes: [], file: "empty", preprocessing: .authors, size: 224)
        }
        #expect(InputError.unrecognizedFormat(file: "empty", leadingBytes: []).description.contains("the file is empty"))
    }

    @Test func nonPositiveCropSizeIsRejected() throws {
        let bytes = try Fixtures.bytes(Fixtures.data("images/rgb8.png"))
        #expect(throws: InputError.invalidCropSize(0)) {
            try InputLoader.load(bytes: bytes, file: "rgb8.png", preprocessing: .authors, size: 0)
        }
    }
}
