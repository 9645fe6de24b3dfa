/// A group in an HDF5 file: named links to datasets and other groups, plus attributes.
///
/// Paths given to a group's methods are relative to it and may have several components (`"layers/dense/vars"`);
/// soft links are followed (at most 16 in one lookup), external links are not.
public final class HDF5Group: Sendable {
    /// The file this group belongs to.
    public let file: HDF5File
    /// The absolute path, e.g. `/layers/dense/vars`.
    public let path: String
    let header: ObjectHeader
    let links: GroupLinks

    init(file: HDF5File, path: String, header: ObjectHeader) throws {
        (self.file, self.path, self.header) = (file, path, header)
        links = try file.links(of: header, path: path)
    }

    /// The last component of the path (`"vars"`), or `"/"` for the root group.
    public var name: String { path == "/" ? "/" : String(path.split(separator: "/").last ?? "") }

    /// The group's attributes.
    public var attributes: HDF5Attributes { HDF5Attributes(file: file, header: header, what: "'\(path)'") }

    /// What a link in a group points to.
    public enum ChildKind: Sendable {
        /// A group.
        case group
        /// A dataset.
        case dataset
        /// Anything else: a committed datatype, a dangling soft link, an external link.
        case other
    }

    /// The absolute path of `relative` below this group.
    func childPath(_ relative: String) -> String {
        path == "/" ? "/" + relative : path + "/" + relative
    }

    /// The names of the group's links, in HDF5's name order (byte order of the UTF-8 names).
    public func childNames() throws -> [String] { links.names }

    /// What the relative `path` points to, or nil when nothing is there (a damaged object counts as `.other`).
    public func childKind(_ relative: String) -> ChildKind? {
        switch try? resolve(relative) {
        case nil, .unfollowable?: return .other
        case .missing?: return nil
        case .object(let header)?:
            switch header.kind {
            case .group: return .group
            case .dataset: return .dataset
            case .other: return .other
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

    /// The group at the relative `path`, or nil when there is no group there; throws when the file is damaged there.
    public func groupIfPresent(_ relative: String) throws -> HDF5Group? {
        guard case .object(let header) = try resolve(relative), header.kind == .group else { return nil }
        return try HDF5Group(file: file, path: childPath(relative), header: header)
    }

    /// The dataset at the relative `path`; throws when there is no dataset there.
    public func dataset(_ relative: String) throws -> HDF5Dataset {
        guard case .object(let header) = try resolve(relative), header.kind == .dataset else {
            throw HDF5Error("\(file.name): no dataset at '\(childPath(relative))'\(found(relative))")
        }
        return try HDF5Dataset(file: file, path: childPath(relative), header: header)
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

    /// Where a relative path leads.
    enum Resolution {
        case missing
        /// A dangling or cyclic soft link, or an external link.
        case unfollowable
        case object(ObjectHeader)
    }

    /// The most soft links followed in one lookup (libhdf5's default).
    private static let maximumSoftLinks = 16

    func resolve(_ relative: String) throws -> Resolution {
        var hops = 0
        return try resolve(relative.split(separator: "/").map(String.init), in: links, at: path, hops: &hops)
    }

    /// Follows `components` from the group with `links` at `groupPath`.
    private func resolve(_ components: [String], in links: GroupLinks, at groupPath: String, hops: inout Int) throws -> Resolution {
        guard let first = components.first, let target = links.targets[first] else { return .missing }
        let isLast = components.count == 1
        let header: ObjectHeader
        switch target {
        case .hard(let address):
            header = try ObjectHeader(image: file.image, address: address)
        case .unfollowable:
            return isLast ? .unfollowable : .missing
        case .soft(let value):
            hops += 1
            let parts = value.split(separator: "/").map(String.init)
            let absolute = value.hasPrefix("/")
            let start = absolute ? try file.links(of: file.rootHeader, path: "/") : links
            let resolved: Resolution
            if hops > Self.maximumSoftLinks { resolved = .unfollowable }
            else if parts.isEmpty { resolved = absolute ? .object(file.rootHeader) : .missing }
            else { resolved = try resolve(parts, in: start, at: absolute ? "/" : groupPath, hops: &hops) }
            guard case .object(let object) = resolved else { return isLast ? .unfollowable : .missing }
            header = object
        }
        if isLast { return .object(header) }
        guard header.kind == .group else { return .missing }
        let childPath = groupPath == "/" ? "/" + first : groupPath + "/" + first
        return try resolve(Array(components.dropFirst()), in: file.links(of: header, path: childPath), at: childPath, hops: &hops)
    }
}
