import Foundation

/// Data compiled into the program so it works with no downloads and from any directory.
///
/// The generated files next to this one hold the data; `scripts/embed_assets.py` rewrites them
/// from `assets/`.
public enum BundledAssets {
    /// The default photo's file name (as in `assets/`) and its encoded bytes (a JPEG).
    public static let defaultImage: (name: String, bytes: [UInt8]) = (
        defaultImageName,
        // Cannot fail for the generated literal; a test compares the result with the file.
        Data(base64Encoded: defaultImageBase64, options: .ignoreUnknownCharacters).map { [UInt8]($0) } ?? []
    )

    /// The 1000 ImageNet-1k class names, index `i` naming logit `i` (torchvision's spelling).
    public static let imageNetClasses: [String] = imageNetClassNamesText
        .split(separator: "\n", omittingEmptySubsequences: false)
        .map(String.init)
}
