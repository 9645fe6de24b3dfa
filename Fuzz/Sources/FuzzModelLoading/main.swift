// libFuzzer entry point: each input is treated as a .keras file, as a Keras 2 .h5 file (the HDF5 reader), then as
// an .npy file and as JSON. Any outcome but a crash, a hang or a leak is fine: errors are the expected answer to garbage.
import Foundation
import Keras

private let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("swift-keras-fuzz-\(getpid()).keras").path
private let scratchH5 = FileManager.default.temporaryDirectory.appendingPathComponent("swift-keras-fuzz-\(getpid()).h5").path

/// Loads `bytes` as the model file at `path`, predicts on zeros and saves it again in memory.
private func exercise(_ bytes: [UInt8], at path: String) {
    do {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let model = try Model.load(from: path)
        if let shape = model.inputShape, shape.reduce(1, *) <= 1 << 16 {
            _ = try model.predict(Tensor.zeros([1] + shape))
        }
        _ = try model.kerasFileBytes()
    } catch {
        _ = "\(error)"
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelLoading(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    exercise(bytes, at: scratch)
    exercise(bytes, at: scratchH5)
    _ = try? NPY.read(bytes, name: "input").tensor()
    _ = try? JSON.parse(bytes)
    return 0
}

// SwiftPM links an executable through the symbol `<module>_main`; with -parse-as-library there is no top-level
// code to provide it, so it is defined here and hands control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt
) -> CInt

@_cdecl("FuzzModelLoading_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { start, size in fuzzModelLoading(start, size) }
}
