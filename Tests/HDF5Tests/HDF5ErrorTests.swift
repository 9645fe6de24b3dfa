import Foundation
import Testing
@testable import HDF5

/// Damaged input and wrong requests: each must throw an `HDF5Error` whose message names the file or object path,
/// never crash.
struct HDF5ErrorTests {
    /// Opens `bytes` and reads everything the sample's description lists; throws at the first failure.
    static func readEverything(_ file: HDF5File) throws {
        let description = try Fixture.sample.description()
        for path in description.groups.keys {
            let g = try group(path, in: file)
            _ = try g.childNames()
            for name in try g.attributes.names() { _ = try? g.attributes.numbers(name); _ = try? g.attributes.strings(name) }
        }
        for (path, expected) in description.datasets where expected.float32Bits != nil {
            _ = try file.root.dataset(String(path.dropFirst())).readFloats()
        }
    }

    /// Expects `body` to throw an `HDF5Error` whose message contains `needle`.
    static func expectError(containing needle: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
        #expect(sourceLocation: sourceLocation) { try body() } throws: { error in
            guard let error = error as? HDF5Error else { return false }
            #expect(error.description.contains(needle), "“\(error.description)” should contain “\(needle)”", sourceLocation: sourceLocation)
            #expect(error.errorDescription == error.description)
            return true
        }
    }

    @Test("a truncated copy throws, from memory and from a path", arguments: [1, 7, 8, 100, 1000, 5000, 15000, -1])
    func truncated(_ keep: Int) throws {
        let bytes = try Fixture.sample.bytes()
        let cut = Array(bytes.prefix(keep > 0 ? keep : bytes.count + keep))
        Self.expectError(containing: "cut.h5") { try Self.readEverything(try HDF5File.open(image: cut, name: "cut.h5")) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cut-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(cut)))
        Self.expectError(containing: path) { try Self.readEverything(try HDF5File.open(path: path)) }
    }

    @Test func truncationIsExplained() throws {
        let cut = Array(try Fixture.sample.bytes().prefix(1000))
        Self.expectError(containing: "cut.h5 is not a readable HDF5 file (truncated or corrupt): ") { try Self.readEverything(try HDF5File.open(image: cut, name: "cut.h5")) }
    }

    @Test func garbageAndEmptyInputThrow() throws {
        var generator = SystemRandomNumberGenerator()
        let garbage = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        Self.expectError(containing: "garbage.h5") { _ = try HDF5File.open(image: garbage, name: "garbage.h5") }
        let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]
        Self.expectError(containing: "signed-garbage.h5") { _ = try HDF5File.open(image: signature + garbage, name: "signed-garbage.h5") }
        Self.expectError(containing: "empty.h5 is not an HDF5 file") { _ = try HDF5File.open(image: [], name: "empty.h5") }
        Self.expectError(containing: "/nonexistent/file.h5") { _ = try HDF5File.open(path: "/nonexistent/file.h5") }
    }

    @Test func missingAndMistakenObjects() throws {
        let root = try OpenMode.path.open(.sample).root
        let name = Fixture.sample.path
        Self.expectError(containing: "\(name): no group at '/layers/nothing/here' (nothing there)") { _ = try root.group("layers/nothing/here") }
        Self.expectError(containing: "no dataset at '/layers/dense/vars/9'") { _ = try root.group("layers/dense").dataset("vars/9") }
        Self.expectError(containing: "no group at '/scalars/int32' (found a dataset)") { _ = try root.group("scalars/int32") }
        Self.expectError(containing: "no dataset at '/layers' (found a group)") { _ = try root.dataset("layers") }
        Self.expectError(containing: "no dataset at '/links/dangling' (found a link to something else)") { _ = try root.dataset("links/dangling") }
        Self.expectError(containing: "no group at '/links/external'") { _ = try root.group("links/external") }
    }

    @Test func wrongConversions() throws {
        let root = try OpenMode.path.open(.sample).root
        Self.expectError(containing: "dataset '/strings/fixed' holds strings, expected numbers") { _ = try root.dataset("strings/fixed").readFloats() }
        Self.expectError(containing: "dataset '/numbers/float32' holds float32, expected strings") { _ = try root.dataset("numbers/float32").readStrings() }
        Self.expectError(containing: "dataset '/numbers/uint64' holds 18446744073709551615, which is not an Int64") { _ = try root.dataset("numbers/uint64").readInt64s() }
        Self.expectError(containing: "dataset '/numbers/float32_special' holds inf") { _ = try root.dataset("numbers/float32_special").readInt64s() }
        Self.expectError(containing: "'/': attribute 'float_array': expected strings, found float32") { _ = try root.attributes.strings("float_array") }
        Self.expectError(containing: "'/': attribute 'keras_version': expected numbers, found strings") { _ = try root.attributes.numbers("keras_version") }
    }

    /// `libver="latest"` files keep large groups and attribute sets in fractal heaps, which the reader refuses by name.
    @Test func denseStorageIsRefusedClearly() throws {
        let file = try HDF5File.open(path: Fixture.folder.appendingPathComponent("dense.h5").path)
        Self.expectError(containing: "dense.h5: group '/big' keeps its links in dense storage (a fractal heap), which this reader does not support") {
            _ = try file.root.group("big")
        }
        Self.expectError(containing: "dense.h5: '/' keeps its attributes in dense storage") { _ = try file.root.attributes.names() }
        Self.expectError(containing: "dense.h5: '/' keeps its attributes in dense storage") { _ = try file.root.attributes.string("a1") }
    }

    @Test func absurdSizesAreRefusedBeforeAllocating() throws {
        let huge = try OpenMode.image.open(.sample).root.dataset("huge")
        #expect(huge.shape == [1 << 30, 4])
        Self.expectError(containing: "dataset '/huge' declares 4294967296 elements") { _ = try huge.readFloats() }
        Self.expectError(containing: "dataset '/huge' declares 4294967296 elements") { _ = try huge.readInt64s() }
    }
}
