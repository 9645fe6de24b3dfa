import Foundation
import Synchronization

/// An HDF5 file opened for reading, from a path or from bytes in memory (e.g. `model.weights.h5` inside a `.keras`
/// zip).
///
/// Reading is done in Swift, not by libhdf5: model files come from strangers, and libhdf5 trusts a file's metadata
/// (a flipped bit can make it read out of bounds, loop forever or allocate gigabytes). This reader checks every
/// address, size and count against the file before using it, and supports the part of the format h5py and Keras
/// write (superblocks 0–3, object headers 1–2, symbol-table and compact groups, compact/contiguous/chunked datasets
/// with gzip, shuffle and fletcher32, fixed and variable-length strings). Files are written with libhdf5
/// (`HDF5WritableFile`). Objects are immutable and may be used from any thread.
public final class HDF5File: Sendable {
    let image: FileImage
    let rootHeader: ObjectHeader
    /// Link tables and attribute tables already read (or found damaged), by object header address: loaders look up
    /// `layers/<name>/vars` for every layer, and each lookup would otherwise read the `layers` group's links again.
    private let linkTables = ParsedTables<GroupLinks>()
    private let attributeTables = ParsedTables<[AttributeMessage]>()
    /// A name for messages: the path, or the name given to an in-memory image.
    public var name: String { image.name }

    private init(image: FileImage) throws {
        self.image = image
        rootHeader = try ObjectHeader(image: image, address: image.rootAddress)
        guard rootHeader.kind == .group else { throw image.corrupt("its root object is not a group") }
    }

    /// The links of the group whose header is `header` (read once per file).
    func links(of header: ObjectHeader, path: String) throws -> GroupLinks {
        try linkTables.value(for: header.address, what: "\(name): group '\(path)'") {
            try GroupLinks(header: header, image: image, path: path)
        }
    }

    /// The attribute messages of the object whose header is `header` (read once per file).
    func attributeMessages(of header: ObjectHeader, what: String) throws -> [AttributeMessage] {
        try attributeTables.value(for: header.address, what: "\(name): \(what)") {
            try AttributeMessage.all(in: header, image: image, what: what)
        }
    }

    /// The root group `/`.
    public var root: HDF5Group {
        get throws { try HDF5Group(file: self, path: "/", header: rootHeader) }
    }

    /// Opens the HDF5 file at `path`.
    public static func open(path: String) throws -> HDF5File {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HDF5Error("\(path): cannot read the file (missing or unreadable)")
        }
        return try HDF5File(image: FileImage(bytes: [UInt8](data), name: path))
    }

    /// Opens an HDF5 file held in memory; `name` is used in error messages only.
    public static func open(image bytes: [UInt8], name: String) throws -> HDF5File {
        try HDF5File(image: FileImage(bytes: bytes, name: name))
    }
}

/// Structures parsed from a file, kept by object header address with their outcome (a damaged one is not parsed again).
final class ParsedTables<Value: Sendable>: Sendable {
    private let tables = Mutex<[UInt64: Result<Value, HDF5Error>]>([:])

    /// The value for `address`, parsed by `parse` the first time; `what` names the object for unexpected errors.
    func value(for address: UInt64, what: String, _ parse: () throws -> Value) throws -> Value {
        if let known = tables.withLock({ $0[address] }) { return try known.get() }
        let result: Result<Value, HDF5Error>
        do {
            result = .success(try parse())
        } catch let error as HDF5Error {
            result = .failure(error)
        } catch {
            result = .failure(HDF5Error("\(what): \(error)"))
        }
        tables.withLock { $0[address] = result }
        return try result.get()
    }
}
