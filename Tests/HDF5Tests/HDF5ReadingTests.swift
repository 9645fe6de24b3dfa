import Foundation
import Testing
@testable import HDF5

/// Reads an HDF5 file written by h5py (`tools/make_fixtures.py`, `Fixtures/formats/sample.h5`) and compares every
/// dataset and attribute with the values the generator recorded.
struct HDF5ReadingTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/formats")
    static let path = folder.appendingPathComponent("sample.h5").path

    /// The expected values, parsed with Foundation (this test target does not depend on the Keras module).
    static var expected: [String: Any] {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("sample_h5_expected.json").path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object
    }

    static var datasetPaths: [String] { ((expected["datasets"] as? [String: Any]) ?? [:]).keys.sorted() }

    static func checkDatasets(in file: HDF5File) throws {
        let datasets = try #require(expected["datasets"] as? [String: [String: Any]])
        for (path, want) in datasets {
            let dataset = try file.root.dataset(path)
            #expect(dataset.shape == (want["shape"] as? [Int]), "\(path) shape")
            let values = (want["values"] as? [Double] ?? []).map(Float.init)
            #expect(try dataset.readFloats() == values, "\(path) values (\(dataset.elementType))")
        }
    }

    @Test func readsEveryDtypeFromAPath() throws {
        try Self.checkDatasets(in: try HDF5File.open(path: Self.path))
    }

    @Test func readsTheSameFromBytesInMemory() throws {
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: Self.path)))
        try Self.checkDatasets(in: try HDF5File.open(image: bytes, name: "sample.h5"))
    }

    @Test func elementTypesAreRecognised() throws {
        let root = try HDF5File.open(path: Self.path).root
        #expect(try root.dataset("bfloat16").elementType == .bfloat16)
        #expect(try root.dataset("layers/dense/vars/1").elementType == .float(bits: 16))
        #expect(try root.dataset("layers/dense/vars/4").elementType == .integer(bits: 64, signed: true))
        #expect(try root.dataset("scalar").readInt64s() == [7])
    }

    @Test func stringAttributesInEveryForm() throws {
        let root = try HDF5File.open(path: Self.path).root
        #expect(try root.attributes.strings("layer_names") == ["dense", "dense_1"])      // fixed-length |S7
        #expect(try root.attributes.strings("weight_names") == ["dense/kernel:0", "dense/bias:0"])
        #expect(try root.attributes.string("keras_version") == "2.15.0")                // vlen UTF-8 scalar
        #expect(try root.group("layers/dense/vars").attributes.string("name") == "dense")
        #expect(try root.attributes.string("absent") == nil)
    }

    @Test func listsChildrenAndKinds() throws {
        let root = try HDF5File.open(path: Self.path).root
        #expect(try root.childNames() == ["bfloat16", "layers", "scalar"])
        #expect(root.childKind("layers/dense") == .group)
        #expect(root.childKind("scalar") == .dataset)
        #expect(root.childKind("layers/nothing/here") == nil)
        #expect(try root.groupIfPresent("layers/nothing") == nil)
    }

    @Test func writesInMemoryAndReadsBack() throws {
        let file = try HDF5File.createInMemory()
        let vars = try file.root.createGroup("layers").createGroup("vars")
        try vars.attributes.setString("name", "dense_é")
        try vars.createDataset("0", shape: [2, 3], floats: [1, 2, 3, 4, 5, 6])
        try vars.createDataset("1", shape: [], int32s: [42])
        try vars.createDataset("2", shape: [2], int64s: [-1, 1 << 40])
        let reopened = try HDF5File.open(image: try file.imageBytes(), name: "written.h5").root
        #expect(try reopened.group("layers/vars").attributes.string("name") == "dense_é")
        #expect(try reopened.dataset("layers/vars/0").readFloats() == [1, 2, 3, 4, 5, 6])
        #expect(try reopened.dataset("layers/vars/1").shape == [])
        #expect(try reopened.dataset("layers/vars/1").readInt64s() == [42])
        #expect(try reopened.dataset("layers/vars/2").readInt64s() == [-1, 1 << 40])
    }

    @Test("damaged files throw HDF5Error naming the file", arguments: [0, 8, 100, 2000, 8000])
    func damagedFilesThrow(_ keep: Int) throws {
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: Self.path)))
        #expect(throws: HDF5Error.self) {
            let file = try HDF5File.open(image: Array(bytes.prefix(keep)), name: "cut.h5")
            try Self.checkDatasets(in: file)
        }
    }

    @Test func garbageAndMissingObjectsThrow() throws {
        #expect(throws: HDF5Error.self) { try HDF5File.open(image: [UInt8](repeating: 0x41, count: 4096), name: "garbage.h5") }
        #expect(throws: HDF5Error.self) { try HDF5File.open(path: "/nonexistent/file.h5") }
        let root = try HDF5File.open(path: Self.path).root
        #expect(throws: HDF5Error.self) { try root.dataset("layers/dense/vars/9") }
        #expect(throws: HDF5Error.self) { try root.group("scalar") }
        #expect {
            try root.dataset("missing")
        } throws: { error in "\(error)".contains("no dataset at '/missing'") }
    }
}
