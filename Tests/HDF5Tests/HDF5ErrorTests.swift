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

    /// The position of the first occurrence of `signature` (e.g. `"TREE"`) in `bytes`.
    static func position(of signature: String, in bytes: [UInt8]) throws -> Int {
        let needle = Array(signature.utf8)
        return try #require((0...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) })
    }

    /// A B-tree node made its own child (a cycle libhdf5 would follow): refused, not followed forever.
    @Test func aBTreeCycleIsRefused() throws {
        var bytes = try Fixture.sample.bytes()
        let node = try Self.position(of: "TREE", in: bytes)
        bytes[node + 5] = 1                                                                  // level 1: children are nodes
        for k in 0..<8 { bytes[node + 24 + 8 + k] = UInt8(truncatingIfNeeded: node >> (8 * k)) }   // child 0 = itself
        Self.expectError(containing: "revisits a node") { try Self.readEverything(try HDF5File.open(image: bytes, name: "cycle.h5")) }
    }

    /// A global heap object declaring 4 GiB (libhdf5 1.10 looped forever or zero-filled gigabytes on such sizes).
    @Test func anAbsurdGlobalHeapObjectIsRefused() throws {
        var bytes = try Fixture.sample.bytes()
        let collection = try Self.position(of: "GCOL", in: bytes)
        for k in 0..<4 { bytes[collection + 16 + 8 + k] = 0xFF }                             // the first object's size
        let root = try HDF5File.open(image: bytes, name: "heap.h5").root
        Self.expectError(containing: "heap.h5 is not a readable HDF5 file (truncated or corrupt): the global heap collection at address") {
            _ = try root.attributes.string("keras_version")
        }
    }

    /// A variable-length string declaring 512 MiB (many such references to one heap object would multiply it): the
    /// read stops at the cap before looking the object up.
    @Test func hugeStringReferencesAreCapped() throws {
        var bytes = try Fixture.sample.bytes()
        let dataset = try HDF5File.open(image: bytes, name: "strings.h5").root.dataset("strings/vlen_utf8")
        guard case .contiguous(let address?, _) = try DatasetStorage(header: dataset.header, image: dataset.file.image, what: "").layout else {
            Issue.record("the fixture's string dataset is expected contiguous"); return
        }
        bytes[Int(address) + 3] = 0x20                                                     // the first length: 2²⁹ + …
        let damaged = try HDF5File.open(image: bytes, name: "strings.h5").root.dataset("strings/vlen_utf8")
        Self.expectError(containing: "strings.h5: dataset '/strings/vlen_utf8' holds more than 268435456 bytes of strings") { _ = try damaged.readStrings() }
    }

    @Test func absurdSizesAreRefusedBeforeAllocating() throws {
        let huge = try OpenMode.image.open(.sample).root.dataset("huge")
        #expect(huge.shape == [1 << 30, 4])
        Self.expectError(containing: "dataset '/huge' declares 4294967296 elements") { _ = try huge.readFloats() }
        Self.expectError(containing: "dataset '/huge' declares 4294967296 elements") { _ = try huge.readInt64s() }
    }
}
