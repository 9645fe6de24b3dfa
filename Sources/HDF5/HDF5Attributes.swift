import CHDF5

/// The attributes of an HDF5 group or dataset. Strings are read whether they are stored fixed-length
/// (h5py 2's `|S<n>`, NUL-padded) or variable-length, ASCII or UTF-8, scalar or 1-D.
public struct HDF5Attributes {
    /// The group or dataset the attributes belong to, kept alive so that its id stays open.
    let owner: AnyObject
    let objectID: hid_t
    let what: String

    /// Whether an attribute called `name` exists.
    public func contains(_ name: String) -> Bool {
        return serialized { H5Aexists(objectID, name) > 0 }
    }

    /// The attribute as one string (the first element of a 1-D string attribute), or nil when absent.
    public func string(_ name: String) throws -> String? {
        try strings(name)?.first
    }

    /// The attribute as a list of strings, or nil when absent.
    public func strings(_ name: String) throws -> [String]? {
        return try serialized {
            guard contains(name) else { return nil }
            let attr = try check(H5Aopen(objectID, name, chdf5_p_default()), "\(what): cannot open attribute '\(name)'")
            defer { H5Aclose(attr) }
            let type = try check(H5Aget_type(attr), "\(what): cannot read the type of attribute '\(name)'")
            defer { H5Tclose(type) }
            let shape = try HDF5Dataspace.shape(of: H5Aget_space(attr), what: "\(what): attribute '\(name)'")
            let count = shape.reduce(1, *)
            // h5py writes an empty Python list (Keras 2's `weight_names = []`) as an empty float array.
            if count == 0 { return [] }
            guard H5Tget_class(type) == H5T_STRING else { throw HDF5Error("\(what): attribute '\(name)' is not a string") }
            guard count <= 1 << 24 else { throw HDF5Error("\(what): attribute '\(name)' declares \(count) strings") }
            let memType = try check(H5Tcopy(chdf5_c_s1()), "\(what): cannot make a string type")
            defer { H5Tclose(memType) }
            // HDF5 converts neither between character sets nor, losslessly, between paddings: mirror the file's.
            H5Tset_cset(memType, H5Tget_cset(type))
            H5Tset_strpad(memType, H5Tget_strpad(type))
            if H5Tis_variable_str(type) > 0 {
                H5Tset_size(memType, chdf5_variable())
                var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
                try check(H5Aread(attr, memType, &pointers), "\(what): cannot read attribute '\(name)'")
                defer {
                    let space = H5Aget_space(attr)
                    H5Dvlen_reclaim(memType, space, chdf5_p_default(), &pointers)
                    H5Sclose(space)
                }
                return pointers.map { $0.map { String(cString: $0) } ?? "" }
            }
            let width = H5Tget_size(type)
            guard width > 0, width * count <= 1 << 28 else { throw HDF5Error("\(what): attribute '\(name)' has absurd size") }
            H5Tset_size(memType, width)
            var buffer = [UInt8](repeating: 0, count: width * count)
            try check(buffer.withUnsafeMutableBytes { H5Aread(attr, memType, $0.baseAddress) }, "\(what): cannot read attribute '\(name)'")
            return (0..<count).map { i in
                let slice = buffer[(i * width)..<((i + 1) * width)]
                return String(decoding: slice.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
    }

    /// Writes a scalar variable-length UTF-8 string attribute, as h5py writes `attrs["name"] = "dense"`.
    public func setString(_ name: String, _ value: String) throws {
        try serialized {
            let type = try check(H5Tcopy(chdf5_c_s1()), "\(what): cannot make a string type")
            defer { H5Tclose(type) }
            H5Tset_size(type, chdf5_variable())
            H5Tset_cset(type, H5T_CSET_UTF8)
            let space = try check(H5Screate(H5S_SCALAR), "\(what): cannot make a scalar dataspace")
            defer { H5Sclose(space) }
            if contains(name) { H5Adelete(objectID, name) }
            let attr = try check(H5Acreate2(objectID, name, type, space, chdf5_p_default(), chdf5_p_default()),
                                 "\(what): cannot create attribute '\(name)'")
            defer { H5Aclose(attr) }
            try value.withCString { cString in
                var pointer: UnsafePointer<CChar>? = cString
                try check(H5Awrite(attr, type, &pointer), "\(what): cannot write attribute '\(name)'")
            }
        }
    }
}

extension HDF5Group {
    /// The group's attributes.
    public var attributes: HDF5Attributes { HDF5Attributes(owner: self, objectID: id, what: "\(file.name): '\(path)'") }

    /// Writes a little-endian float32 dataset (a scalar dataspace when `shape` is empty), contiguous and
    /// uncompressed as h5py writes Keras's weights.
    public func createDataset(_ name: String, shape: [Int], floats: [Float]) throws {
        try write(name, shape: shape, fileType: chdf5_ieee_f32le(), memType: chdf5_native_float(), values: floats)
    }

    /// Writes a little-endian int64 dataset.
    public func createDataset(_ name: String, shape: [Int], int64s: [Int64]) throws {
        try write(name, shape: shape, fileType: chdf5_std_i64le(), memType: chdf5_native_int64(), values: int64s)
    }

    /// Writes a little-endian int32 dataset.
    public func createDataset(_ name: String, shape: [Int], int32s: [Int32]) throws {
        try write(name, shape: shape, fileType: chdf5_std_i32le(), memType: chdf5_native_int32(), values: int32s)
    }

    private func write<T>(_ name: String, shape: [Int], fileType: hid_t, memType: hid_t, values: [T]) throws {
        try serialized {
            let count = values.count
            guard shape.reduce(1, *) == count else { throw HDF5Error("\(file.name): dataset '\(childPath(name))' of shape \(shape) needs \(shape.reduce(1, *)) values, got \(count)") }
            let dims = shape.map { hsize_t($0) }
            let space = try check(shape.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(dims.count), dims, nil),
                                  "\(file.name): cannot make a dataspace for '\(childPath(name))'")
            defer { H5Sclose(space) }
            let dataset = try check(H5Dcreate2(id, name, fileType, space, chdf5_p_default(), chdf5_p_default(), chdf5_p_default()),
                                    "\(file.name): cannot create dataset '\(childPath(name))'")
            defer { H5Dclose(dataset) }
            if count > 0 {
                try check(values.withUnsafeBytes { H5Dwrite(dataset, memType, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), $0.baseAddress) },
                          "\(file.name): cannot write dataset '\(childPath(name))'")
            }
        }
    }
}
