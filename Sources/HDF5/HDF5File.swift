import Foundation
import CHDF5

/// An open HDF5 file, read from a path or from bytes in memory, or created in memory for writing.
///
/// The serial HDF5 library is not thread-safe: use one file from one thread at a time.
public final class HDF5File: @unchecked Sendable {
    let id: hid_t
    /// A name for messages: the path, or a description of the in-memory image.
    public let name: String
    // Keeps the bytes of an in-memory image alive while HDF5 reads them.
    private let image: [UInt8]?

    private init(id: hid_t, name: String, image: [UInt8]?) {
        self.id = id
        self.name = name
        self.image = image
    }

    deinit {
        serialized { H5Fclose(id) }
    }

    /// Opens the HDF5 file at `path` read-only.
    public static func open(path: String) throws -> HDF5File {
        if let data = FileManager.default.contents(atPath: path) { try GlobalHeapCheck.validate([UInt8](data), name: path) }
        return try serialized {
            _ = silenceHDF5
            let id = H5Fopen(path, 0 /* H5F_ACC_RDONLY */, chdf5_p_default())
            guard id >= 0 else { throw HDF5Error("\(path) is not a readable HDF5 file") }
            return HDF5File(id: id, name: path, image: nil)
        }
    }

    /// Opens an HDF5 file held in memory (e.g. `model.weights.h5` inside a `.keras` zip), without writing a
    /// temporary file: HDF5's core driver reads the bytes directly.
    public static func open(image bytes: [UInt8], name: String) throws -> HDF5File {
        try GlobalHeapCheck.validate(bytes, name: name)
        return try serialized {
            _ = silenceHDF5
            guard bytes.count >= 8, bytes.starts(with: [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]) || findsSignature(bytes) else {
                throw HDF5Error("\(name) is not an HDF5 file (no HDF5 signature)")
            }
            let fapl = try check(H5Pcreate(chdf5_p_file_access()), "\(name): cannot create a file-access property list")
            defer { H5Pclose(fapl) }
            try check(H5Pset_fapl_core(fapl, 64 * 1024, false), "\(name): cannot select the in-memory driver")
            let copy = bytes
            let status = copy.withUnsafeBytes { H5Pset_file_image(fapl, UnsafeMutableRawPointer(mutating: $0.baseAddress), $0.count) }
            try check(status, "\(name): cannot attach the file image")
            let id = H5Fopen("swift-keras-image-\(UUID().uuidString)", 0, fapl)
            guard id >= 0 else { throw HDF5Error("\(name) is not a readable HDF5 file (truncated or corrupt)") }
            return HDF5File(id: id, name: name, image: copy)
        }
    }

    /// HDF5 also accepts a signature at 512, 1024, 2048 … bytes (after a user block).
    private static func findsSignature(_ bytes: [UInt8]) -> Bool {
        var offset = 512
        while offset + 8 <= bytes.count {
            if bytes[offset..<offset + 8].elementsEqual([0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]) { return true }
            offset *= 2
        }
        return false
    }

    /// Creates an empty HDF5 file in memory; `imageBytes()` returns its bytes once written.
    public static func createInMemory(name: String = "in-memory.h5") throws -> HDF5File {
        return try serialized {
            _ = silenceHDF5
            let fapl = try check(H5Pcreate(chdf5_p_file_access()), "\(name): cannot create a file-access property list")
            defer { H5Pclose(fapl) }
            try check(H5Pset_fapl_core(fapl, 64 * 1024, false), "\(name): cannot select the in-memory driver")
            let id = H5Fcreate("swift-keras-image-\(UUID().uuidString)", 2 /* H5F_ACC_TRUNC */, chdf5_p_default(), fapl)
            guard id >= 0 else { throw HDF5Error("cannot create in-memory HDF5 file \(name)") }
            return HDF5File(id: id, name: name, image: nil)
        }
    }

    /// The bytes of the file as it stands (flushed first).
    public func imageBytes() throws -> [UInt8] {
        return try serialized {
            try check(H5Fflush(id, H5F_SCOPE_GLOBAL), "\(name): cannot flush")
            let size = try check(H5Fget_file_image(id, nil, 0), "\(name): cannot size the file image")
            var bytes = [UInt8](repeating: 0, count: Int(size))
            let written = bytes.withUnsafeMutableBytes { H5Fget_file_image(id, $0.baseAddress, $0.count) }
            try check(written, "\(name): cannot copy the file image")
            return bytes
        }
    }

    /// The root group `/`.
    public var root: HDF5Group {
        get throws { try HDF5Group(file: self, path: "/") }
    }
}
