// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "shufflescope",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "shufflescope", targets: ["shufflescope"]),
        .library(name: "ShuffleEngine", targets: ["ShuffleEngine"]),
        .library(name: "ShuffleModel", targets: ["ShuffleModel"]),
        .library(name: "Inspector", targets: ["Inspector"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Tensors, kernels, the op enum, the graph and its step-wise executor. No UI, no C.
        .target(
            name: "ShuffleEngine"
        ),
        // ShuffleNet configurations, builder, weights, inputs and accounting.
        .target(
            name: "ShuffleModel",
            dependencies: ["ShuffleEngine"]
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
        .testTarget(name: "ModelTests", dependencies: ["ShuffleModel", "ShuffleEngine"]),
        .testTarget(name: "InspectorTests", dependencies: ["Inspector", "ShuffleEngine"]),
        .testTarget(name: "TerminalBackendTests", dependencies: ["TerminalBackend", "Inspector", "CNCurses"]),
        // Drives the built `shufflescope` binary inside tmux; depending on it makes `swift test` build it.
        .testTarget(name: "EndToEndTests", dependencies: ["shufflescope"]),
    ],
    swiftLanguageModes: [.v6]
)
