// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swift-keras",
    products: [
        .library(name: "Keras", targets: ["Keras"]),
        .executable(name: "keras", targets: ["KerasCLI"]),
        .executable(name: "antirectifier", targets: ["AntirectifierExample"]),
        .executable(name: "antirectifier2016", targets: ["Antirectifier2016Example"]),
        .executable(name: "mnist-convnet", targets: ["MNISTConvnetExample"]),
        .executable(name: "mnist-lstm", targets: ["MNISTLSTMExample"]),
        .executable(name: "mnist-vit", targets: ["MNISTViTExample"]),
    ],
    dependencies: [
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // `swift package generate-documentation --target Keras` (DocC).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // System libraries, reached through module maps (see docs/ARCHITECTURE.md).
        .systemLibrary(
            name: "CHDF5",
            pkgConfig: "hdf5",
            providers: [.apt(["libhdf5-dev"])]
        ),
        .systemLibrary(
            name: "SystemZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // GEMM: oneDNN, which picks its kernels for the CPU it runs on (see README, "Why oneDNN").
        .systemLibrary(
            name: "CDNNL",
            providers: [.apt(["libdnnl-dev"])]
        ),
        .target(name: "HDF5", dependencies: ["CHDF5", "SystemZlib"]),
        // Vector update loops compiled per instruction set (target_clones), picked at load for the CPU.
        .target(name: "CKernels"),
        // The engine's threads: one worker per extra core, idle workers sleep after a short spin.
        .target(name: "CThreadPool"),
        // The matrix product: oneDNN matmul primitives cached by shape (see Sources/CMatMul/include/CMatMul.h).
        .target(name: "CMatMul", dependencies: ["CDNNL"]),
        .target(name: "TensorEngine", dependencies: ["CDNNL", "CMatMul", "CKernels", "CThreadPool"]),
        .target(
            name: "Keras",
            dependencies: [
                "HDF5", "TensorEngine", "SystemZlib",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .executableTarget(
            name: "KerasCLI",
            dependencies: [
                "Keras",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What the examples share: their command-line options (swift-argument-parser) and their closing report.
        .target(
            name: "ExampleSupport",
            dependencies: ["Keras", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Examples/Support"
        ),
        .executableTarget(name: "AntirectifierExample", dependencies: exampleDependencies, path: "Examples/Antirectifier"),
        .executableTarget(name: "Antirectifier2016Example", dependencies: exampleDependencies, path: "Examples/Antirectifier2016"),
        .executableTarget(name: "MNISTConvnetExample", dependencies: exampleDependencies, path: "Examples/MNISTConvnet"),
        .executableTarget(name: "MNISTLSTMExample", dependencies: exampleDependencies, path: "Examples/MNISTLSTM"),
        .executableTarget(name: "MNISTViTExample", dependencies: exampleDependencies, path: "Examples/MNISTViT"),
        .testTarget(name: "HDF5Tests", dependencies: ["HDF5"]),
        .testTarget(name: "TensorEngineTests", dependencies: ["TensorEngine"]),
        .testTarget(
            name: "KerasTests",
            dependencies: ["Keras", "HDF5", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
    ]
)

/// Every example: the library, the shared options and report, and swift-argument-parser.
var exampleDependencies: [Target.Dependency] {
    ["Keras", "ExampleSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")]
}
