import Foundation
import Testing
@testable import HDF5

/// The h5py-written fixtures in `Fixtures/hdf5` (made by `tools/make_hdf5_fixtures.py`) and the generator's
/// description of each (`<name>.json`): what every group, dataset and attribute must read as.
enum Fixture: String, CaseIterable, Sendable {
    case sample
    case tinyWeights = "tiny.weights"
    /// Valid layouts beyond Keras's: a user block, edge chunks, shuffle/fletcher32/gzip, compact storage, ordered groups.
    case formats
    /// `libver="latest"`: superblock 3, version 2 object headers, link messages.
    case latest
    /// Dense storage: links and attributes in fractal heaps, indexed by version 2 B-trees (leaf roots).
    case dense
    /// Dense storage with B-tree internal nodes and fractal-heap indirect blocks.
    case denseBig = "dense_big"

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/hdf5")

    var path: String { Self.folder.appendingPathComponent("\(rawValue).h5").path }

    func bytes() throws -> [UInt8] {
        [UInt8](try #require(FileManager.default.contents(atPath: path), "cannot read \(path)"))
    }

    func description() throws -> FileDescription {
        let data = try #require(FileManager.default.contents(atPath: Self.folder.appendingPathComponent("\(rawValue).json").path))
        return try JSONDecoder().decode(FileDescription.self, from: data)
    }
}

/// How a test opens a fixture: by path, or from its bytes in memory.
enum OpenMode: CaseIterable, Sendable {
    case path, image

    func open(_ fixture: Fixture) throws -> HDF5File {
        switch self {
        case .path: return try HDF5File.open(path: fixture.path)
        case .image: return try HDF5File.open(image: try fixture.bytes(), name: "\(fixture.rawValue).h5")
        }
    }
}

/// The generator's JSON. A nil value means the reader must refuse that conversion.
struct FileDescription: Decodable {
    struct Attribute: Decodable {
        let strings: [String]?
        let numbers: [Double]?
    }

    struct Group: Decodable {
        let children: [String: String]
        let attributes: [String: Attribute]
    }

    struct Dataset: Decodable {
        let shape: [Int]
        let elementType: String
        let float32Bits: [UInt32]?
        let int64s: [Int64]?
        let strings: [String]?
        let attributes: [String: Attribute]

        enum CodingKeys: String, CodingKey {
            case shape, strings, attributes, int64s
            case elementType = "element_type"
            case float32Bits = "float32_bits"
        }
    }

    let groups: [String: Group]
    let datasets: [String: Dataset]
}

/// Names in HDF5's name order: by the bytes of their UTF-8 encoding.
func inHDF5Order(_ names: some Sequence<String>) -> [String] {
    names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
}

/// The group at an absolute path (`/` for the root).
func group(_ path: String, in file: HDF5File) throws -> HDF5Group {
    path == "/" ? try file.root : try file.root.group(String(path.dropFirst()))
}

/// Checks that `result` equals `expected`, or — when nothing is expected — that it throws an `HDF5Error` naming `path`.
func expectResult<T: Equatable>(_ expected: T?, at path: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation,
                                _ result: () throws -> T) {
    if let expected {
        #expect(throws: Never.self, "\(path) \(what)", sourceLocation: sourceLocation) {
            let value = try result()
            #expect(value == expected, "\(path) \(what)", sourceLocation: sourceLocation)
        }
    } else {
        #expect(sourceLocation: sourceLocation) { _ = try result() } throws: { error in
            (error as? HDF5Error)?.description.contains(path) == true
        }
    }
}

/// Compares every attribute of an object with the generator's description.
func expectAttributes(_ attributes: HDF5Attributes, _ expected: [String: FileDescription.Attribute], at path: String,
                      sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(try attributes.names() == inHDF5Order(expected.keys), "\(path) attribute names", sourceLocation: sourceLocation)
    for (name, want) in expected {
        #expect(attributes.contains(name), sourceLocation: sourceLocation)
        expectResult(want.strings, at: path, "attribute \(name) as strings", sourceLocation: sourceLocation) { try attributes.strings(name) ?? ["<absent>"] }
        expectResult(want.numbers, at: path, "attribute \(name) as numbers", sourceLocation: sourceLocation) { try attributes.numbers(name) ?? [-1] }
    }
}
