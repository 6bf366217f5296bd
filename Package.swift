// swift-tools-version:6.0
import PackageDescription

// The engine's kernels are written for 8-lane vectors and fused multiply-adds. Without target
// flags Swift compiles for baseline x86-64 (SSE2, 4 lanes, no FMA), so by default the engine is
// built for AVX2 + FMA (x86-64 CPUs since 2013-2015). SHUFFLESCOPE_PORTABLE=1 drops those flags.
var engineSettings: [SwiftSetting] = []
#if arch(x86_64)
if Context.environment["SHUFFLESCOPE_PORTABLE"] != "1" {
    engineSettings += [.unsafeFlags(["-Xcc", "-mavx2", "-Xcc", "-mfma"]), .define("SHUFFLE_FUSED_MULTIPLY_ADD")]
}
#endif

let package = Package(
    name: "shufflescope",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "shufflescope", targets: ["shufflescope"]),
        .library(name: "ShuffleEngine", targets: ["ShuffleEngine"]),
        .library(name: "ShuffleModel", targets: ["ShuffleModel"]),
        .library(name: "Inspector", targets: ["Inspector"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // Tensors, kernels, the op enum, the graph and its step-wise executor. No UI, no C.
        .target(
            name: "ShuffleEngine",
            swiftSettings: engineSettings
        ),
        // PNG and JPEG decoding through the system libpng and libjpeg, behind one shim header.
        .target(
            name: "CImageCodecs",
            linkerSettings: [.linkedLibrary("png"), .linkedLibrary("jpeg")]
        ),
        // ShuffleNet configurations, builder, weights, inputs and accounting; ONNX import through
        // swift-protobuf (ONNX/Generated holds onnx.proto and the Swift generated from it).
        .target(
            name: "ShuffleModel",
            dependencies: ["ShuffleEngine", "CImageCodecs", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["ONNX/Generated/onnx.proto"]
        ),
        // The inspector's state, keys and views, drawing into an in-memory cell grid. No curses.
        .target(
            name: "Inspector",
            dependencies: ["ShuffleEngine"]
        ),
        // The system ncursesw library, seen through one shim header.
        .systemLibrary(
            name: "CNCurses",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        // Runs a TerminalApplication on a real terminal through curses. The only code that touches curses.
        .target(
            name: "TerminalBackend",
            dependencies: ["CNCurses", "Inspector"]
        ),
        .executableTarget(
            name: "shufflescope",
            dependencies: [
                "ShuffleEngine",
                "ShuffleModel",
                "Inspector",
                "TerminalBackend",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "EngineTests", dependencies: ["ShuffleEngine"]),
        // Data/ and Fixtures/ hold files the tests find through #filePath, so nothing is copied as a resource.
        .testTarget(name: "ModelTests", dependencies: ["ShuffleModel", "ShuffleEngine"], exclude: ["Data", "Fixtures"]),
        // ShuffleModel only to draw real v1 and v2 graphs; the inspector itself stays blind to it.
        .testTarget(name: "InspectorTests", dependencies: ["Inspector", "ShuffleEngine", "ShuffleModel"], exclude: ["Snapshots"]),
        .testTarget(name: "TerminalBackendTests", dependencies: ["TerminalBackend", "Inspector", "CNCurses"]),
        // Drives the built `shufflescope` binary inside tmux; depending on it makes `swift test` build it.
        .testTarget(name: "EndToEndTests", dependencies: ["shufflescope", "ShuffleModel", "ShuffleEngine"]),
    ],
    swiftLanguageModes: [.v6]
)
