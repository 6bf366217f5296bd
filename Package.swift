// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "shufflescope",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "shufflescope", targets: ["shufflescope"]),
        .library(name: "ShuffleEngine", targets: ["ShuffleEngine"]),
        .library(name: "ShuffleModel", targets: ["ShuffleModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Tensors, kernels, the op enum, the graph and its step-wise executor. No UI, no C.
        .target(
            name: "ShuffleEngine"
        ),
        // PNG and JPEG decoding through the system libpng and libjpeg, behind one shim header.
        .target(
            name: "CImageCodecs",
            linkerSettings: [.linkedLibrary("png"), .linkedLibrary("jpeg")]
        ),
        // ShuffleNet configurations, builder, weights, inputs and accounting.
        .target(
            name: "ShuffleModel",
            dependencies: ["ShuffleEngine", "CImageCodecs"]
        ),
        .executableTarget(
            name: "shufflescope",
            dependencies: [
                "ShuffleEngine",
                "ShuffleModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "EngineTests", dependencies: ["ShuffleEngine"]),
        // Data/ holds fixtures the tests find through #filePath, so nothing is copied as a resource.
        .testTarget(name: "ModelTests", dependencies: ["ShuffleModel", "ShuffleEngine"], exclude: ["Data", "Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
