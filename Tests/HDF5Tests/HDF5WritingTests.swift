import Foundation
import Testing
@testable import HDF5

/// Writes files as Keras's weights writer does (groups, `name` attributes, float32 and scalar integer datasets), in
/// memory and on disk, and reads them back. `tools/check_hdf5_written.py` checks such a file with h5py.
struct HDF5WritingTests {
    /// The content every writing test produces, as a Keras 3 `model.weights.h5` would hold it.
    static func writeWeights(into file: HDF5WritableFile) throws {
        let root = try file.root
        let vars = try root.createGroup("layers/dense/vars")       // intermediate groups created, as h5py does
        try vars.attributes.setString("name", "placeholder")
        try vars.attributes.setString("name", "dense_é")           // replaces the first value
        try vars.createDataset("0", shape: [2, 3], floats: [1, 2, 3, 4, 5, -0.5])
        try vars.createDataset("1", shape: [3], floats: [0.25, .infinity, -.greatestFiniteMagnitude])
        let optimizer = try root.createGroup("optimizer").createGroup("vars")
        try optimizer.attributes.setString("name", "adam")
        try optimizer.createDataset("0", shape: [], int32s: [42])
        try optimizer.createDataset("1", shape: [], floats: [0.001])
        try optimizer.createDataset("2", shape: [2], int64s: [-1, 1 << 40])
        try optimizer.createDataset("3", shape: [0, 4], floats: [])
        try root.createGroup("vars").attributes.setString("name", "sequential")
    }

    static func expectWeights(in file: HDF5File) throws {
        let root = try file.root
        #expect(try root.childNames() == ["layers", "optimizer", "vars"])
        #expect(try root.attributes.names() == [])
        let vars = try root.group("layers/dense/vars")
        #expect(try vars.attributes.names() == ["name"])
        #expect(try vars.attributes.string("name") == "dense_é")
        #expect(try vars.dataset("0").shape == [2, 3])
        #expect(try vars.dataset("0").elementType == .float(bits: 32))
        #expect(try vars.dataset("0").readFloats() == [1, 2, 3, 4, 5, -0.5])
        #expect(try vars.dataset("1").readFloats() == [0.25, .infinity, -.greatestFiniteMagnitude])
        let optimizer = try root.group("optimizer/vars")
        #expect(try optimizer.attributes.string("name") == "adam")
        #expect(try optimizer.dataset("0").shape == [])
        #expect(try optimizer.dataset("0").elementType == .integer(bits: 32, signed: true))
        #expect(try optimizer.dataset("0").readInt64s() == [42])
        #expect(try optimizer.dataset("1").readFloats() == [0.001])
        #expect(try optimizer.dataset("2").readInt64s() == [-1, 1 << 40])
        #expect(try optimizer.dataset("3").shape == [0, 4])
        #expect(try optimizer.dataset("3").readFloats() == [])
        #expect(try root.group("vars").attributes.string("name") == "sequential")
    }

    @Test func inMemoryImageRoundTrip() throws {
        let file = try HDF5WritableFile.createInMemory(name: "model.weights.h5")
        try Self.writeWeights(into: file)
        let bytes = try file.imageBytes()
        #expect(bytes.starts(with: [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]))
        try Self.expectWeights(in: try HDF5File.open(image: bytes, name: "written.h5"))
    }

    /// `HDF5_WRITTEN_PATH=/tmp/swift-written.h5` keeps the file for `tools/check_hdf5_written.py`.
    @Test func fileOnDiskRoundTrip() throws {
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("hdf5-test-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        let kept = ProcessInfo.processInfo.environment["HDF5_WRITTEN_PATH"]
        try Self.writeWeights(into: try HDF5WritableFile.create(path: kept ?? temporary))   // complete once released
        try Self.expectWeights(in: try HDF5File.open(path: kept ?? temporary))
        try HDF5WritableFile.create(path: temporary)                                         // truncates
        #expect(try HDF5File.open(path: temporary).root.childNames() == [])
    }

    /// h5py made `Fixtures/hdf5/written_by_h5py.h5` with the same writes (`tools/check_hdf5_written.py`). Identical
    /// bytes need the same file-format choices as h5py, which this libhdf5 (1.10) and h5py's (2.0) make; should a
    /// different libhdf5 lay the file out differently, `tools/check_hdf5_written.py` compares the properties instead.
    @Test func theImageIsByteIdenticalToH5py() throws {
        let file = try HDF5WritableFile.createInMemory()
        try Self.writeWeights(into: file)
        let h5py = try HDF5File.open(path: Fixture.folder.appendingPathComponent("written_by_h5py.h5").path)
        try Self.expectWeights(in: h5py)
        let expected = [UInt8](try #require(FileManager.default.contents(atPath: h5py.name)))
        #expect(try file.imageBytes() == expected)
    }

    @Test func theSameWritesGiveTheSameBytes() throws {
        func image() throws -> [UInt8] {
            let file = try HDF5WritableFile.createInMemory()
            try Self.writeWeights(into: file)
            return try file.imageBytes()
        }
        let first = try image()
        Thread.sleep(forTimeInterval: 1.1)   // a modification time, if one were stored, would now differ
        #expect(try image() == first)
    }

    @Test func everyIdIsClosedAfterWriting() throws {
        let file = try HDF5WritableFile.createInMemory()
        try Self.writeWeights(into: file)
        #expect(file.openObjectCount == 0)
        let vars = try file.root.createGroup("more/vars")
        withExtendedLifetime(vars) { #expect(file.openObjectCount == 1) }
    }

    @Test func invalidWritesThrow() throws {
        let root = try HDF5WritableFile.createInMemory(name: "bad.h5").root
        #expect { try root.createDataset("x", shape: [2, 2], floats: [1, 2, 3]) } throws: { "\($0)".contains("'/x'") && "\($0)".contains("needs 4 values, got 3") }
        #expect(throws: HDF5Error.self) { try root.createDataset("x", shape: [-1], int32s: []) }
        #expect(throws: HDF5Error.self) { try root.createDataset("x", shape: [Int.max, 2], int64s: []) }
        try root.createDataset("x", shape: [1], floats: [1])
        #expect { try root.createDataset("x", shape: [1], floats: [1]) } throws: { "\($0)".contains("bad.h5: dataset '/x': cannot create it") }
        #expect(throws: HDF5Error.self) { try root.createGroup("x") }
        #expect(throws: HDF5Error.self) { try HDF5WritableFile.create(path: "/nonexistent-folder/x.h5") }
    }
}
