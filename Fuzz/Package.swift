// swift-tools-version:6.0
// A libFuzzer target over swift-keras's readers, in its own package so that its build flags
// (-sanitize=fuzzer, -parse-as-library) never reach the main package's executables. Run with scripts/fuzz.
import PackageDescription

let package = Package(
    name: "swift-keras-fuzz",
    dependencies: [
        .package(name: "swift-keras", path: ".."),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // StructuredMutator.swift is a link to the test suite's copy (Tests/KerasTests/Support), so that FuzzTests
        // and this target mutate files the same way.
        .executableTarget(name: "FuzzModelLoading", dependencies: [
            .product(name: "Keras", package: "swift-keras"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
    ]
)
