// swift-tools-version:6.0
// A libFuzzer target over swift-keras's readers, in its own package so that its build flags
// (-sanitize=fuzzer, -parse-as-library) never reach the main package's executables. Run with scripts/fuzz.
import PackageDescription

let package = Package(
    name: "swift-keras-fuzz",
    dependencies: [.package(name: "swift-keras", path: "..")],
    targets: [
        .executableTarget(name: "FuzzModelLoading", dependencies: [.product(name: "Keras", package: "swift-keras")]),
    ]
)
