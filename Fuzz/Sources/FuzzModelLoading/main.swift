// libFuzzer entry point: each input is treated as a .keras file, as a Keras 2 .h5 file (the HDF5 reader), then as
// an .npy file and as JSON. Any outcome but a crash, a hang or a leak is fine: errors are the expected answer to garbage.
// Half of the mutations are structure-aware (StructuredMutator): a zip is opened, one entry is damaged at its own
// level (JSON, pickle opcodes, NPY header, HDF5 structures) and the zip is rebuilt with valid CRCs, so the damage
// reaches the parsers behind the archive; the other half are libFuzzer's own byte mutations.
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

/// libFuzzer's own mutator, for the other half of the mutations.
@_silgen_name("LLVMFuzzerMutate")
private func libFuzzerMutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int) -> Int

/// A structure-aware mutation of `bytes` by what they look like (zip, HDF5, NPY, JSON), or nil.
private func structuredMutation(_ bytes: [UInt8], _ mutator: inout StructuredMutator) -> [UInt8]? {
    switch bytes.prefix(4) {
    case [0x50, 0x4B, 0x03, 0x04]: return mutator.mutateKerasArchive(bytes)
    case [0x89, 0x48, 0x44, 0x46]: return mutator.mutateHDF5(bytes)
    case [0x93, 0x4E, 0x55, 0x4D]: return mutator.mutateNPY(bytes)
    default: return bytes.first == UInt8(ascii: "{") ? mutator.mutateJSON(bytes) : nil
    }
}

@_cdecl("LLVMFuzzerCustomMutator")
public func customMutator(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
    var mutator = StructuredMutator(seed: UInt64(seed))
    if mutator.random.chance(2),
       let mutated = structuredMutation([UInt8](UnsafeBufferPointer(start: data, count: size)), &mutator),
       !mutated.isEmpty, mutated.count <= maxSize {
        mutated.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: mutated.count) }
        return mutated.count
    }
    return libFuzzerMutate(data, size, maxSize)
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
