import Foundation

/// Reading NumPy's `.npz` archives (`np.savez` / `np.savez_compressed`): a zip of `.npy` members, each checked
/// against its CRC-32 as NumPy's `zipfile` checks it.
public enum NPZ {
    /// The largest member this reader extracts (4 GiB).
    static let maximumMemberSize: UInt64 = 1 << 32

    /// The arrays in the archive at `path`, by member name without `.npy`.
    public static func read(path: String) throws -> [String: NPYArray] {
        guard FileManager.default.fileExists(atPath: path) else { throw NPYError("\(path): no such file") }
        return try members(path: path, name: path).mapValues { try NPY.read($0.bytes, name: $0.name) }
    }

    /// The raw `.npy` bytes of every member of an in-memory `.npz`, by member name without `.npy`.
    ///
    /// The bytes go through a private temporary file: ZIPFoundation's in-memory reader traps on a corrupt
    /// archive that seeks past its end (found by the fuzz test), while its file reader reports an error.
    static func memberBytes(_ data: [UInt8], name: String) throws -> [String: (name: String, bytes: [UInt8])] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swift-keras-\(UUID().uuidString).npz")
        guard FileManager.default.createFile(atPath: url.path, contents: Data(data), attributes: [.posixPermissions: 0o600]) else {
            throw NPYError("\(name): cannot stage the archive in \(url.deletingLastPathComponent().path)")
        }
        defer { try? FileManager.default.removeItem(at: url) }
        return try members(path: url.path, name: name)
    }

    /// The `.npy` members of the zip at `path` (called `name` in messages).
    private static func members(path: String, name: String) throws -> [String: (name: String, bytes: [UInt8])] {
        let zip = try ZipReader(path: path, kind: "an .npz file", maximumEntrySize: maximumMemberSize) { message in
            NPYError(name == path ? message : message.replacingOccurrences(of: path, with: name))
        }
        var arrays: [String: (name: String, bytes: [UInt8])] = [:]
        for entry in zip.entries where entry.type == .file && entry.path.hasSuffix(".npy") {
            arrays[String(entry.path.dropLast(4))] = ("\(name)/\(entry.path)", try zip.extract(entry))
        }
        return arrays
    }
}
