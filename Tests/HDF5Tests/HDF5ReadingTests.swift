import Foundation
import Testing
@testable import HDF5

/// Reads the h5py-written fixtures — every group, link, dataset and attribute — and compares them with the generator's
/// description, opening each file from its path and from its bytes in memory.
struct HDF5ReadingTests {
    @Test("every group, link and attribute", arguments: Fixture.allCases, OpenMode.allCases)
    func groups(_ fixture: Fixture, _ mode: OpenMode) throws {
        try Self.checkGroups(in: try mode.open(fixture), try fixture.description())
    }

    @Test("every dataset in every conversion", arguments: Fixture.allCases, OpenMode.allCases)
    func datasets(_ fixture: Fixture, _ mode: OpenMode) throws {
        try Self.checkDatasets(in: try mode.open(fixture), try fixture.description())
    }

    static func checkGroups(in file: HDF5File, _ description: FileDescription) throws {
        for (path, expected) in description.groups {
            let g = try group(path, in: file)
            #expect(g.path == path)
            #expect(try g.childNames() == inHDF5Order(expected.children.keys), "\(path) children")
            for (name, kind) in expected.children {
                #expect(g.childKind(name).map { "\($0)" } == kind, "\(path)/\(name) kind")
            }
            try expectAttributes(g.attributes, expected.attributes, at: path)
        }
    }

    static func checkDatasets(in file: HDF5File, _ description: FileDescription) throws {
        let root = try file.root
        for (path, expected) in description.datasets {
            let dataset = try root.dataset(String(path.dropFirst()))
            #expect(dataset.path == path)
            #expect(dataset.shape == expected.shape, "\(path) shape")
            #expect("\(dataset.elementType)" == expected.elementType, "\(path) element type")
            expectResult(expected.float32Bits, at: path, "as float32") { try dataset.readFloats().map(\.bitPattern) }
            expectResult(expected.int64s, at: path, "as int64") { try dataset.readInt64s() }
            expectResult(expected.strings, at: path, "as strings") { try dataset.readStrings() }
            try expectAttributes(dataset.attributes, expected.attributes, at: path)
        }
    }

    @Test func pathAndMemoryReadTheSame() throws {
        let fromPath = try OpenMode.path.open(.sample).root, fromImage = try OpenMode.image.open(.sample).root
        for path in try Fixture.sample.description().datasets.keys where !path.hasPrefix("/strings") && path != "/huge" && path != "/opaque_unmarked" {
            let relative = String(path.dropFirst())
            #expect(try fromPath.dataset(relative).readFloats().map(\.bitPattern) == fromImage.dataset(relative).readFloats().map(\.bitPattern))
        }
        #expect(try fromPath.attributes.strings("layer_names") == fromImage.attributes.strings("layer_names"))
    }

    @Test func stringAttributesInEveryForm() throws {
        let root = try OpenMode.path.open(.sample).root
        #expect(try root.attributes.strings("layer_names") == ["dense", "dense_1"])          // fixed-length |S7 array
        #expect(try root.attributes.string("layer_names") == "dense")                       // first element
        #expect(try root.attributes.string("backend_fixed") == "tensorflow")                // fixed-length scalar
        #expect(try root.attributes.strings("weight_names") == ["dense/kernel:0", "dense/bias:0"])   // vlen bytes
        #expect(try root.attributes.string("keras_version") == "2.15.0")                    // vlen UTF-8 scalar
        #expect(try root.attributes.string("utf8_scalar") == "héllo wörld ✓")
        #expect(try root.attributes.strings("fixed_utf8_array") == ["é", "ab"])
        #expect(try root.attributes.string("spacepad_scalar") == "abc")
        #expect(try root.attributes.strings("empty_list") == [])
        #expect(try root.attributes.string("empty_list") == nil)
        #expect(try root.attributes.string("absent") == nil)
        #expect(!root.attributes.contains("absent"))
        #expect(try root.attributes.numbers("int_scalar") == [42])
        #expect(try root.group("layers/dense/vars").attributes.string("name") == "dense")
    }

    @Test func elementTypes() throws {
        let root = try OpenMode.path.open(.sample).root
        #expect(try root.dataset("bfloat16").elementType == .bfloat16)
        #expect(try root.dataset("numbers/float16").elementType == .float(bits: 16))
        #expect(try root.dataset("numbers/uint8").elementType == .integer(bits: 8, signed: false))
        #expect(try root.dataset("numbers/int64").elementType == .integer(bits: 64, signed: true))
        #expect(try root.dataset("strings/fixed").elementType == .string)
        #expect(try root.dataset("scalars/int32").shape == [])
        #expect(try root.dataset("scalars/int32").count == 1)
        #expect(try root.dataset("empty/2d").count == 0)
        guard case .other = try root.dataset("opaque_unmarked").elementType else { Issue.record("unmarked opaque data is not bfloat16"); return }
    }

    @Test func navigation() throws {
        let root = try OpenMode.path.open(.sample).root
        #expect(root.name == "/")
        let vars = try root.group("layers/dense/vars")
        #expect(vars.name == "vars")
        #expect(vars.path == "/layers/dense/vars")
        #expect(try vars.file.root.group("layers").group("dense").path == "/layers/dense")
        #expect(try root.groupIfPresent("layers/dense")?.path == "/layers/dense")
        #expect(try root.groupIfPresent("layers/nothing/here") == nil)
        #expect(try root.groupIfPresent("scalars/int32") == nil)    // a dataset, not a group
        #expect(root.childKind("layers/dense/vars/0") == .dataset)
        #expect(root.childKind("scalars/int32/below") == nil)        // below a dataset
        #expect(root.childKind("") == nil)
        #expect(try root.group("links/soft_to_vars").childNames() == ["0", "1"])
    }

    @Test func keras3WeightsFile() throws {
        let root = try OpenMode.image.open(.tinyWeights).root
        #expect(try root.childNames() == ["layers", "vars"])
        #expect(try root.attributes.names() == [])
        let vars = try root.group("layers/dense/vars")
        #expect(try vars.attributes.string("name") == "dense")
        #expect(try vars.dataset("0").shape == [4, 3])
        #expect(try vars.dataset("1").shape == [3])
        #expect(try vars.dataset("0").elementType == .float(bits: 32))
        #expect(try root.group("vars").attributes.string("name") == "sequential")
    }

    @Test func concurrentReaders() async throws {
        try await withThrowingTaskGroup(of: Int.self) { tasks in
            for i in 0..<8 {
                tasks.addTask {
                    let root = try OpenMode.allCases[i % 2].open(.sample).root
                    return try root.dataset("numbers/float32").readFloats().count + (root.attributes.strings("utf8_array")?.count ?? 0)
                }
            }
            for try await count in tasks { #expect(count == 15) }
        }
    }
}
