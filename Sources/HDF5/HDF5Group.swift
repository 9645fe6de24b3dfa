import CHDF5

/// A group in an HDF5 file: named links to datasets and other groups, plus attributes.
///
/// Paths given to a group's methods are relative to it and may have several components (`"layers/dense/vars"`).
public final class HDF5Group: @unchecked Sendable {
    /// The file this group belongs to (kept alive while the group is).
    public let file: HDF5File
    /// The absolute path, e.g. `/layers/dense/vars`.
    public let path: String
    let id: hid_t

    init(file: HDF5File, path: String) throws {
        self.file = file
        self.path = path
        enterLibrary()
        defer { leaveLibrary() }
        id = try check(H5Gopen2(file.id, path, chdf5_p_default()), "\(file.name): cannot open group '\(path)'")
    }

    deinit {
        serialized { H5Gclose(id) }
    }

    /// The last component of the path (`"vars"`), or `"/"` for the root group.
    public var name: String { path == "/" ? "/" : String(path.split(separator: "/").last ?? "") }

    /// The group's attributes (read and write).
    public var attributes: HDF5Attributes { HDF5Attributes(owner: self, objectID: id, what: "\(file.name): '\(path)'") }

    /// What a link in a group points to.
    public enum ChildKind: Sendable {
        /// A group.
        case group
        /// A dataset.
        case dataset
        /// Anything else: a committed datatype, a dangling soft link, an external link that cannot be followed.
        case other
    }

    /// The absolute path of `relative` below this group.
    func childPath(_ relative: String) -> String {
        path == "/" ? "/" + relative : path + "/" + relative
    }

    /// The names of the group's links, in HDF5's name order (byte order of the UTF-8 names).
    public func childNames() throws -> [String] {
        return try serialized {
            var info = H5G_info_t()
            try check(H5Gget_info(id, &info), "\(file.name): cannot list group '\(path)'")
            return try (0..<info.nlinks).map { i in
                try readName("\(file.name): cannot read the name of link \(i) in '\(path)'") { buffer, size in
                    H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, i, buffer, size, chdf5_p_default())
                }
            }
        }
    }

    /// Whether every component of the relative `path` exists as a link (so that opening it cannot fail halfway).
    private func exists(_ relative: String) -> Bool {
        var prefix = ""
        for component in relative.split(separator: "/") {
            prefix = prefix.isEmpty ? String(component) : prefix + "/" + component
            if H5Lexists(id, prefix, chdf5_p_default()) <= 0 { return false }
        }
        return !prefix.isEmpty
    }

    /// What the relative `path` points to, or nil when nothing is there.
    public func childKind(_ relative: String) -> ChildKind? {
        return serialized {
            guard exists(relative) else { return nil }
            let object = H5Oopen(id, relative, chdf5_p_default())
            guard object >= 0 else { return .other }
            defer { H5Oclose(object) }
            switch H5Iget_type(object) {
            case H5I_GROUP: return .group
            case H5I_DATASET: return .dataset
            default: return .other
            }
        }
    }

    /// The group at the relative `path` (`"layers/dense/vars"`); throws when there is no group there.
    public func group(_ relative: String) throws -> HDF5Group {
        guard let group = try groupIfPresent(relative) else {
            throw HDF5Error("\(file.name): no group at '\(childPath(relative))'\(found(relative))")
        }
        return group
    }

    /// The group at the relative `path`, or nil when there is no group there.
    public func groupIfPresent(_ relative: String) throws -> HDF5Group? {
        childKind(relative) == .group ? try HDF5Group(file: file, path: childPath(relative)) : nil
    }

    /// The dataset at the relative `path`; throws when there is no dataset there.
    public func dataset(_ relative: String) throws -> HDF5Dataset {
        guard childKind(relative) == .dataset else {
            throw HDF5Error("\(file.name): no dataset at '\(childPath(relative))'\(found(relative))")
        }
        return try HDF5Dataset(file: file, path: childPath(relative))
    }

    /// For messages: what is at `relative` instead of what was asked for.
    private func found(_ relative: String) -> String {
        switch childKind(relative) {
        case nil: return " (nothing there)"
        case .group: return " (found a group)"
        case .dataset: return " (found a dataset)"
        case .other: return " (found a link to something else)"
        }
    }

    /// Creates a group at the relative `path`, creating missing intermediate groups as h5py does.
    @discardableResult
    public func createGroup(_ relative: String) throws -> HDF5Group {
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
            return try HDF5Group(file: file, path: childPath(relative))
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
}

/// Reads a name through HDF5's two-call protocol (ask for the length, then fill a buffer), decoding it as UTF-8.
func readName(_ what: @autoclosure () -> String, _ call: (UnsafeMutablePointer<CChar>?, Int) -> Int) throws -> String {
    let size = try check(call(nil, 0), what())
    var buffer = [CChar](repeating: 0, count: size + 1)
    try check(buffer.withUnsafeMutableBufferPointer { call($0.baseAddress, $0.count) }, what())
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
