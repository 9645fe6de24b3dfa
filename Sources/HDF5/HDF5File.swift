import Foundation
import CHDF5

/// An open HDF5 file: read from a path or from bytes in memory, or created (on disk or in memory) for writing.
///
/// Groups and datasets keep their file alive; the file's id is closed when the last of them is gone. Every library
/// call runs under one process-wide lock (the serial libhdf5 is not thread-safe), so objects may be used from any
/// thread, one call at a time.
public final class HDF5File: @unchecked Sendable {
    let id: hid_t
    /// A name for messages: the path, or the name given to an in-memory image.
    public let name: String

    private init(id: hid_t, name: String) {
        self.id = id
        self.name = name
    }

    deinit {
        serialized { H5Fclose(id) }
    }

    /// The root group `/`.
    public var root: HDF5Group {
        get throws { try HDF5Group(file: self, path: "/") }
    }

    /// Opens the HDF5 file at `path` read-only.
    public static func open(path: String) throws -> HDF5File {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HDF5Error("\(path): cannot read the file (missing or unreadable)")
        }
        try validateImage([UInt8](data), name: path)
        return try serialized {
            let id = try check(H5Fopen(path, chdf5_f_acc_rdonly(), chdf5_p_default()), "\(path) is not a readable HDF5 file")
            return HDF5File(id: id, name: path)
        }
    }

    /// Opens an HDF5 file held in memory (e.g. `model.weights.h5` inside a `.keras` zip) read-only, without writing
    /// a temporary file: HDF5's core driver reads a copy of the bytes. `name` is used in error messages only.
    public static func open(image bytes: [UInt8], name: String) throws -> HDF5File {
        try validateImage(bytes, name: name)
        return try serialized {
            try withCoreDriver(name) { fapl in
                let status = bytes.withUnsafeBytes { H5Pset_file_image(fapl, UnsafeMutableRawPointer(mutating: $0.baseAddress), $0.count) }
                try check(status, "\(name): cannot attach the file image")
                let id = try check(H5Fopen(uniqueImageName(), chdf5_f_acc_rdonly(), fapl), "\(name) is not a readable HDF5 file")
                return HDF5File(id: id, name: name)
            }
        }
    }

    /// Creates (or truncates) the HDF5 file at `path` for writing. The file is complete once the returned object
    /// (and every group and dataset taken from it) is released.
    @discardableResult
    public static func create(path: String) throws -> HDF5File {
        return try serialized {
            let id = try check(H5Fcreate(path, chdf5_f_acc_trunc(), chdf5_p_default(), chdf5_p_default()), "\(path): cannot create an HDF5 file")
            return HDF5File(id: id, name: path)
        }
    }

    /// Creates an empty HDF5 file in memory; `imageBytes()` returns its bytes once written.
    public static func createInMemory(name: String = "in-memory.h5") throws -> HDF5File {
        return try serialized {
            try withCoreDriver(name) { fapl in
                let id = try check(H5Fcreate(uniqueImageName(), chdf5_f_acc_trunc(), chdf5_p_default(), fapl), "\(name): cannot create an in-memory HDF5 file")
                return HDF5File(id: id, name: name)
            }
        }
    }

    /// How many groups, datasets, attributes and datatypes of this file are open (for leak tests).
    var openObjectCount: Int {
        let types = UInt32(H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_DATATYPE | H5F_OBJ_ATTR | H5F_OBJ_LOCAL)
        return serialized { H5Fget_obj_count(id, types) }
    }

    /// The bytes of the file as it stands (flushed first): for an in-memory file, the complete `.h5` file.
    public func imageBytes() throws -> [UInt8] {
        return try serialized {
            try check(H5Fflush(id, H5F_SCOPE_GLOBAL), "\(name): cannot flush")
            let size = try check(H5Fget_file_image(id, nil, 0), "\(name): cannot size the file image")
            var bytes = [UInt8](repeating: 0, count: size)
            try check(bytes.withUnsafeMutableBytes { H5Fget_file_image(id, $0.baseAddress, $0.count) }, "\(name): cannot copy the file image")
            return bytes
        }
    }

    /// Runs `body` with a file-access property list selecting the core (in-memory) driver without a backing file.
    private static func withCoreDriver<T>(_ name: String, _ body: (hid_t) throws -> T) throws -> T {
        try withPropertyList(chdf5_p_file_access(), name) { fapl in
            try check(H5Pset_fapl_core(fapl, 64 * 1024, false), "\(name): cannot select the in-memory driver")
            return try body(fapl)
        }
    }

    /// A name for a core-driver file that no other open file shares (HDF5 treats files of the same name as one, and a
    /// name that exists on disk made the core driver misread images).
    private static func uniqueImageName() -> String { "swift-keras-image-\(UUID().uuidString)" }

    private static let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Refuses bytes without an HDF5 signature (at 0, or at 512, 1024, 2048 … after a user block) and files whose
    /// global heap would make libhdf5 hang, before libhdf5 sees them.
    private static func validateImage(_ bytes: [UInt8], name: String) throws {
        var offset = 0
        while offset + signature.count <= bytes.count, !bytes[offset..<offset + signature.count].elementsEqual(signature) {
            offset = offset == 0 ? 512 : offset * 2
        }
        guard offset + signature.count <= bytes.count else {
            throw HDF5Error("\(name) is not an HDF5 file: no HDF5 signature in its \(bytes.count) bytes")
        }
        let heap = try GlobalHeapCheck.validate(bytes, name: name)
        try VariableLengthStringCheck.validate(bytes, heap: heap, name: name)
    }
}
