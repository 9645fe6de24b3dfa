import CHDF5

/// A group of a file being written: groups and datasets are created in it, string attributes set on it.
public final class HDF5WritableGroup: @unchecked Sendable {
    /// The file this group belongs to (kept alive while the group is).
    public let file: HDF5WritableFile
    /// The absolute path, e.g. `/layers/dense/vars`.
    public let path: String
    let id: hid_t

    init(file: HDF5WritableFile, path: String) throws {
        self.file = file
        self.path = path
        id = try serialized { try check(H5Gopen2(file.id, path, chdf5_p_default()), "\(file.name): cannot open group '\(path)'") }
    }

    deinit {
        serialized { H5Gclose(id) }
    }

    /// The group's attributes, for writing.
    public var attributes: HDF5AttributeWriter { HDF5AttributeWriter(owner: self, objectID: id, what: "\(file.name): '\(path)'") }

    /// The absolute path of `relative` below this group.
    func childPath(_ relative: String) -> String {
        path == "/" ? "/" + relative : path + "/" + relative
    }

    /// Creates a group at the relative `path`, creating missing intermediate groups as h5py does.
    @discardableResult
    public func createGroup(_ relative: String) throws -> HDF5WritableGroup {
        return try serialized {
            try withLinkCreationList(for: relative) { lcpl in
                try withPropertyList(chdf5_p_group_create(), "\(file.name): '\(childPath(relative))'") { gcpl in
                    // Like h5py: no modification times, so that the same writes give the same bytes.
                    try check(H5Pset_obj_track_times(gcpl, false), "\(file.name): cannot configure group '\(childPath(relative))'")
                    let group = try check(H5Gcreate2(id, relative, lcpl, gcpl, chdf5_p_default()),
                                          "\(file.name): cannot create group '\(childPath(relative))'")
                    H5Gclose(group)
                }
            }
            return try HDF5WritableGroup(file: file, path: childPath(relative))
        }
    }

    /// Runs `body` with a link-creation property list for `relative` as h5py makes it: missing intermediate groups
    /// are created, and the name is marked UTF-8 unless it is ASCII.
    func withLinkCreationList<T>(for relative: String, _ body: (hid_t) throws -> T) throws -> T {
        try withPropertyList(chdf5_p_link_create(), "\(file.name): '\(childPath(relative))'") { lcpl in
            let charset = relative.utf8.allSatisfy { $0 < 0x80 } ? H5T_CSET_ASCII : H5T_CSET_UTF8
            try check(H5Pset_create_intermediate_group(lcpl, 1), "\(file.name): cannot configure link creation")
            try check(H5Pset_char_encoding(lcpl, charset), "\(file.name): cannot configure link creation")
            return try body(lcpl)
        }
    }

    // Datasets are little-endian, contiguous and uncompressed, as h5py writes Keras's weights, with a scalar
    // dataspace when `shape` is `[]`. Missing intermediate groups in `name` are created.

    /// Writes a float32 dataset (`<f4`).
    public func createDataset(_ name: String, shape: [Int], floats: [Float]) throws {
        try createDataset(name, shape: shape, fileType: chdf5_ieee_f32le(), memoryType: chdf5_native_float(), values: floats)
    }

    /// Writes an int32 dataset (`<i4`), e.g. an optimizer's iteration count.
    public func createDataset(_ name: String, shape: [Int], int32s: [Int32]) throws {
        try createDataset(name, shape: shape, fileType: chdf5_std_i32le(), memoryType: chdf5_native_int32(), values: int32s)
    }

    /// Writes an int64 dataset (`<i8`).
    public func createDataset(_ name: String, shape: [Int], int64s: [Int64]) throws {
        try createDataset(name, shape: shape, fileType: chdf5_std_i64le(), memoryType: chdf5_native_int64(), values: int64s)
    }

    private func createDataset<T>(_ name: String, shape: [Int], fileType: hid_t, memoryType: hid_t, values: [T]) throws {
        let what = "\(file.name): dataset '\(childPath(name))'"
        var count = 1
        for dim in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard dim >= 0, !overflow else { throw HDF5Error("\(what): invalid shape \(shape)") }
            count = product
        }
        guard count == values.count else { throw HDF5Error("\(what): shape \(shape) needs \(count) values, got \(values.count)") }
        try serialized {
            let dims = shape.map { hsize_t($0) }
            let space = try check(shape.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(dims.count), dims, nil), "\(what): cannot make its dataspace")
            defer { H5Sclose(space) }
            try withLinkCreationList(for: name) { lcpl in
                try withPropertyList(chdf5_p_dataset_create(), what) { dcpl in
                    // Like h5py: no modification times, so that the same writes give the same bytes.
                    try check(H5Pset_obj_track_times(dcpl, false), "\(what): cannot configure it")
                    let dataset = try check(H5Dcreate2(id, name, fileType, space, lcpl, dcpl, chdf5_p_default()), "\(what): cannot create it")
                    defer { H5Dclose(dataset) }
                    if count > 0 {
                        try check(values.withUnsafeBytes { H5Dwrite(dataset, memoryType, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), $0.baseAddress) },
                                  "\(what): cannot write its values")
                    }
                }
            }
        }
    }
}
