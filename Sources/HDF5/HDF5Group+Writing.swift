import CHDF5

/// Writing datasets: little-endian, contiguous and uncompressed, as h5py writes Keras's weights, with a scalar
/// dataspace when `shape` is `[]`. Missing intermediate groups in `name` are created.
extension HDF5Group {
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
