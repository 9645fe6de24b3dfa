import Foundation
import CHDF5

/// An HDF5 file being written through libhdf5 (on disk or in memory), laid out byte for byte as h5py lays out the
/// same writes. Files are read back with `HDF5File`, never through this type.
///
/// Groups taken from the file keep it alive; it is complete once released (on disk) or when `imageBytes()` is
/// called (in memory). Every library call runs under one process-wide lock (the serial libhdf5 is not thread-safe).
public final class HDF5WritableFile: @unchecked Sendable {
    let id: hid_t
    /// A name for messages: the path, or the name given to an in-memory file.
    public let name: String

    private init(id: hid_t, name: String) {
        self.id = id
        self.name = name
    }

    deinit {
        serialized { H5Fclose(id) }
    }

    /// The root group `/`.
    public var root: HDF5WritableGroup {
        get throws { try HDF5WritableGroup(file: self, path: "/") }
    }

    /// Creates (or truncates) the HDF5 file at `path`.
    @discardableResult
    public static func create(path: String) throws -> HDF5WritableFile {
        return try serialized {
            let id = try check(H5Fcreate(path, chdf5_f_acc_trunc(), chdf5_p_default(), chdf5_p_default()), "\(path): cannot create an HDF5 file")
            return HDF5WritableFile(id: id, name: path)
        }
    }

    /// Creates an empty HDF5 file in memory; `imageBytes()` returns its bytes once written.
    public static func createInMemory(name: String = "in-memory.h5") throws -> HDF5WritableFile {
        return try serialized {
            try withPropertyList(chdf5_p_file_access(), name) { fapl in
                try check(H5Pset_fapl_core(fapl, 64 * 1024, false), "\(name): cannot select the in-memory driver")
                // A name no other open file shares (HDF5 treats files of the same name as one).
                let id = try check(H5Fcreate("swift-keras-image-\(UUID().uuidString)", chdf5_f_acc_trunc(), chdf5_p_default(), fapl),
                                   "\(name): cannot create an in-memory HDF5 file")
                return HDF5WritableFile(id: id, name: name)
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
}
