import Foundation
import ZIPFoundation

/// Reading NumPy's `.npz` archives (`np.savez` / `np.savez_compressed`): a zip of `.npy` members.
public enum NPZ {
    /// The arrays in the archive at `path`, by member name without `.npy`.
    public static func read(path: String) throws -> [String: NPYArray] {
        guard FileManager.default.fileExists(atPath: path) else { throw NPYError("\(path): no such file") }
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw NPYError("\(path) is not an .npz file: not a zip archive")
        }
        return try members(of: archive, name: path).mapValues { try NPY.read($0.bytes, name: $0.name) }
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
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw NPYError("\(name) is not an .npz file: not a zip archive")
        }
        return try members(of: archive, name: name)
    }

    private static func members(of archive: Archive, name path: String) throws -> [String: (name: String, bytes: [UInt8])] {
        var arrays: [String: (name: String, bytes: [UInt8])] = [:]
        for entry in archive where entry.type == .file && entry.path.hasSuffix(".npy") {
            guard entry.uncompressedSize <= 1 << 32 else {
                throw NPYError("\(path): member \(entry.path) declares \(entry.uncompressedSize) bytes, more than this reader accepts")
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(Int(entry.uncompressedSize))
            do {
                _ = try archive.extract(entry) { bytes += $0 }
            } catch {
                throw NPYError("\(path): member \(entry.path) is corrupt (\(error))")
            }
            arrays[String(entry.path.dropLast(4))] = ("\(path)/\(entry.path)", bytes)
        }
        return arrays
    }
}
