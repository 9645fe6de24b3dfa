import CHDF5

/// Writing the attributes of a group being written (`group.attributes.setString("name", "dense")`).
public struct HDF5AttributeWriter {
    /// The group, kept alive so that its id stays open.
    let owner: AnyObject
    let objectID: hid_t
    /// The file and object, for messages.
    let what: String

    /// Whether an attribute called `name` exists.
    public func contains(_ name: String) -> Bool {
        return serialized { H5Aexists(objectID, name) > 0 }
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
