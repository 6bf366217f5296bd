// swift-tools-version:6.0
import PackageDescription

// One binary for every x86-64 CPU. The engine itself is compiled for baseline x86-64; its
// matrix products and depthwise convolutions are compiled three times from one source folder
// (ShuffleKernelsPortable, whose files the other two folders link to): for baseline x86-64, for
// AVX2 + FMA, and for AVX-512 (F, VL, BW, DQ: x86-64-v4) with wider register tiles. The
// engine picks the widest set the CPU runs when a KernelContext is made (InstructionSet.swift).
var avx2Settings: [SwiftSetting] = [.define("SHUFFLE_FUSED_MULTIPLY_ADD")]
var avx512Settings: [SwiftSetting] = [.define("SHUFFLE_FUSED_MULTIPLY_ADD"), .define("SHUFFLE_KERNELS_AVX512")]
#if arch(x86_64)
avx2Settings.append(.unsafeFlags(["-Xcc", "-mavx2", "-Xcc", "-mfma"]))
avx512Settings.append(.unsafeFlags([
    "-Xcc", "-mavx2", "-Xcc", "-mfma", "-Xcc", "-mavx512f", "-Xcc", "-mavx512vl", "-Xcc", "-mavx512bw",
    "-Xcc", "-mavx512dq",
]))
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
            dependencies: ["ShuffleKernelCore", "ShuffleKernelsPortable", "ShuffleKernelsAVX2", "ShuffleKernelsAVX512"]
        ),
        // What the per-instruction-set kernels compute (products, depthwise planes) and `KernelSet`.
        .target(name: "ShuffleKernelCore"),
        // The same kernel source, once per instruction set (see the note at the top).
        .target(name: "ShuffleKernelsPortable", dependencies: ["ShuffleKernelCore"]),
        .target(name: "ShuffleKernelsAVX2", dependencies: ["ShuffleKernelCore"], swiftSettings: avx2Settings),
        .target(name: "ShuffleKernelsAVX512", dependencies: ["ShuffleKernelCore"], swiftSettings: avx512Settings),
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
                "CImageCodecs",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "EngineTests",
            dependencies: ["ShuffleEngine", "ShuffleKernelCore", "ShuffleKernelsPortable", "ShuffleKernelsAVX2", "ShuffleKernelsAVX512"]
        ),
        // Data/ and Fixtures/ hold files the tests find through #filePath, so nothing is copied as a resource.
        .testTarget(name: "ModelTests", dependencies: ["ShuffleModel", "ShuffleEngine"], exclude: ["Data", "Fixtures"]),
        // ShuffleModel only to draw real v1 and v2 graphs; the inspector itself stays blind to it.
        .testTarget(name: "InspectorTests", dependencies: ["Inspector", "ShuffleEngine", "ShuffleModel"], exclude: ["Snapshots", "Fixtures"]),
        .testTarget(name: "TerminalBackendTests", dependencies: ["TerminalBackend", "Inspector", "CNCurses"]),
        // Drives the built `shufflescope` binary inside tmux; depending on it makes `swift test` build it.
        .testTarget(name: "EndToEndTests", dependencies: ["shufflescope", "ShuffleModel", "ShuffleEngine", "Inspector"]),
    ],
    swiftLanguageModes: [.v6]
)
