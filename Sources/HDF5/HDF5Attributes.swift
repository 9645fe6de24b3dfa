import CHDF5

/// The attributes of an HDF5 group or dataset (`group.attributes`, `dataset.attributes`).
///
/// Strings are read whether they are stored fixed-length (h5py 2's `|S<n>`) or variable-length, ASCII or UTF-8,
/// scalar or 1-D; numbers are read from any integer or floating-point attribute.
public struct HDF5Attributes {
    /// The group or dataset the attributes belong to, kept alive so that its id stays open.
    let owner: AnyObject
    let objectID: hid_t
    /// The file and object, for messages.
    let what: String

    /// Whether an attribute called `name` exists.
    public func contains(_ name: String) -> Bool {
        return serialized { H5Aexists(objectID, name) > 0 }
    }

    /// The names of all attributes, in HDF5's name order (byte order of the UTF-8 names).
    public func names() throws -> [String] {
        return try serialized {
            var info = H5O_info_t()
            try check(H5Oget_info2(objectID, &info, UInt32(H5O_INFO_NUM_ATTRS)), "\(what): cannot count its attributes")
            return try (0..<info.num_attrs).map { i in
                try readName("\(what): cannot read the name of attribute \(i)") { buffer, size in
                    H5Aget_name_by_idx(objectID, ".", H5_INDEX_NAME, H5_ITER_INC, i, buffer, size, chdf5_p_default())
                }
            }
        }
    }

    /// The attribute as one string, or nil when absent: a scalar string, or the first element of a 1-D string
    /// array (nil for an empty one).
    public func string(_ name: String) throws -> String? {
        try strings(name)?.first
    }

    /// The attribute as a list of strings (one for a scalar), or nil when absent. An empty array of any type reads as
    /// `[]` (h5py writes an empty Python list, like Keras 2's `weight_names = []`, as an empty float array).
    public func strings(_ name: String) throws -> [String]? {
        try withAttribute(name) { attribute, type, count, what in
            if count == 0 { return [] }
            return try HDF5Strings.read(fileType: type, count: count, what: what) { H5Aread(attribute, $0, $1) }
        }
    }

    /// The attribute's numbers (one for a scalar) converted to Double, or nil when absent; throws for non-numeric
    /// attributes. Integers beyond ±2⁵³ are rounded.
    public func numbers(_ name: String) throws -> [Double]? {
        try withAttribute(name) { attribute, type, count, what in
            let typeClass = H5Tget_class(type)
            guard typeClass == H5T_INTEGER || typeClass == H5T_FLOAT else {
                throw HDF5Error("\(what): expected numbers, found \(HDF5ElementType(type: type, bfloat16Attribute: false))")
            }
            guard count <= HDF5Strings.maximumCount else { throw HDF5Error("\(what): declares \(count) numbers, more than this reader accepts") }
            var values = [Double](repeating: 0, count: count)
            if count > 0 {
                try check(values.withUnsafeMutableBytes { H5Aread(attribute, chdf5_native_double(), $0.baseAddress) }, "\(what): cannot read it as float64")
            }
            return values
        }
    }

    /// Opens the attribute `name` (nil when absent) and runs `body` with its id, datatype, element count and a
    /// description for messages.
    private func withAttribute<T>(_ name: String, _ body: (hid_t, hid_t, Int, String) throws -> T) throws -> T? {
        return try serialized {
            let what = "\(self.what): attribute '\(name)'"
            guard try check(H5Aexists(objectID, name), "\(what): cannot look it up") > 0 else { return nil }
            let attribute = try check(H5Aopen(objectID, name, chdf5_p_default()), "\(what): cannot open it")
            defer { H5Aclose(attribute) }
            let type = try check(H5Aget_type(attribute), "\(what): cannot read its type")
            defer { H5Tclose(type) }
            let count = try HDF5Dataspace.extent(of: H5Aget_space(attribute), what: what).count
            return try body(attribute, type, count, what)
        }
    }

    /// Writes a scalar variable-length UTF-8 string attribute, exactly as h5py writes `attrs["name"] = "dense"`,
    /// replacing any attribute of that name.
    public func setString(_ name: String, _ value: String) throws {
        try serialized {
            let what = "\(self.what): attribute '\(name)'"
            let type = try check(H5Tcopy(chdf5_c_s1()), "\(what): cannot make a string type")
            defer { H5Tclose(type) }
            try check(H5Tset_size(type, chdf5_variable()), "\(what): cannot make a string type")
            try check(H5Tset_cset(type, H5T_CSET_UTF8), "\(what): cannot make a string type")
            let space = try check(H5Screate(H5S_SCALAR), "\(what): cannot make a scalar dataspace")
            defer { H5Sclose(space) }
            if contains(name) { try check(H5Adelete(objectID, name), "\(what): cannot replace it") }
            let attribute = try check(H5Acreate2(objectID, name, type, space, chdf5_p_default(), chdf5_p_default()), "\(what): cannot create it")
            defer { H5Aclose(attribute) }
            try value.withCString { cString in
                var pointer: UnsafePointer<CChar>? = cString
                try check(H5Awrite(attribute, type, &pointer), "\(what): cannot write it")
            }
        }
    }
}
