import Foundation
import ShuffleEngine
import Testing

@testable import ShuffleModel

/// The compiled-in copies must not drift from the files in assets/.
@Suite struct InputBundledAssetsTests {
    @Test func embeddedPhotoEqualsTheAssetFile() throws {
        let asset = BundledAssets.defaultImage
        #expect(asset.name == "chelsea.jpg")
        let file = try Fixtures.bytes(Fixtures.asset(asset.name))
        #expect(asset.bytes == file)
    }

    @Test func embeddedClassNamesEqualTheAssetFile() throws {
        let text = try String(contentsOf: Fixtures.asset("imagenet_classes.txt"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.last == "")  // the file ends with a newline
        #expect(BundledAssets.imageNetClasses == Array(lines.dropLast()))
        #expect(BundledAssets.imageNetClasses.count == 1000)
        #expect(Set(BundledAssets.imageNetClasses).count == 1000)
        // Spot checks against the well-known ILSVRC-2012 order.
        #expect(BundledAssets.imageNetClasses[0] == "tench")
        #expect(BundledAssets.imageNetClasses[281] == "tabby")
        #expect(BundledAssets.imageNetClasses[999] == "toilet tissue")
    }

    @Test func defaultPhotoLoadsInBothPresets() throws {
        for preset in Preprocessing.allCases {
            let tensor = try InputLoader.loadDefault(preprocessing: preset, size: 224)
            #expect(tensor.shape == Shape(n: 1, c: 3, h: 224, w: 224))
            #expect(tensor.storage.allSatisfy { $0.isFinite })
        }
        let authors = try InputLoader.loadDefault(preprocessing: .authors, size: 224)
        #expect(authors.storage.allSatisfy { $0 >= 0 && $0 <= 255 && $0 == $0.rounded() })
    }
}
