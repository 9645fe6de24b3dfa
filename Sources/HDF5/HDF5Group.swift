import CHDF5

/// A group in an HDF5 file: named links to datasets and other groups, plus attributes.
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
        id = H5Gopen2(file.id, path, chdf5_p_default())
        guard id >= 0 else { throw HDF5Error("\(file.name): no group at '\(path)'") }
    }

    deinit {
        serialized { H5Gclose(id) }
    }

    /// What a link in a group points to.
    public enum ChildKind: Sendable { case group, dataset, other }

    func childPath(_ name: String) -> String {
        path == "/" ? "/" + name : path + "/" + name
    }

    /// The names of the group's links, in HDF5's name order.
    public func childNames() throws -> [String] {
        return try serialized {
            var info = H5G_info_t()
            try check(H5Gget_info(id, &info), "\(file.name): cannot list group '\(path)'")
            return try (0..<info.nlinks).map { i in
                let size = try check(H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, i, nil, 0, chdf5_p_default()),
                                     "\(file.name): cannot read link \(i) of '\(path)'")
                var buffer = [CChar](repeating: 0, count: Int(size) + 1)
                try check(H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, i, &buffer, buffer.count, chdf5_p_default()),
                          "\(file.name): cannot read link \(i) of '\(path)'")
                return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
    }

    /// Whether every component of the relative `path` exists as a hard or soft link.
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

    /// The group at the relative `path` (`"layers/dense/vars"`).
    public func group(_ relative: String) throws -> HDF5Group {
        guard childKind(relative) == .group else { throw HDF5Error("\(file.name): no group at '\(childPath(relative))'") }
        return try HDF5Group(file: file, path: childPath(relative))
    }

    /// The group at the relative `path`, or nil when there is no group there.
    public func groupIfPresent(_ relative: String) throws -> HDF5Group? {
        childKind(relative) == .group ? try HDF5Group(file: file, path: childPath(relative)) : nil
    }

    /// The dataset at the relative `path`.
    public func dataset(_ relative: String) throws -> HDF5Dataset {
        guard childKind(relative) == .dataset else { throw HDF5Error("\(file.name): no dataset at '\(childPath(relative))'") }
        return try HDF5Dataset(file: file, path: childPath(relative))
    }

    /// Creates a subgroup.
    @discardableResult
    public func createGroup(_ name: String) throws -> HDF5Group {
        return try serialized {
            let g = H5Gcreate2(id, name, chdf5_p_default(), chdf5_p_default(), chdf5_p_default())
            try check(g, "\(file.name): cannot create group '\(childPath(name))'")
            H5Gclose(g)
            return try HDF5Group(file: file, path: childPath(name))
        }
    }
}
