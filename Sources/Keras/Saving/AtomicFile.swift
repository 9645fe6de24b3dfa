import Foundation

/// Writes files so that a failed or interrupted write never leaves a broken file where the user asked for one:
/// the bytes go to a temporary file in the same folder, which is then renamed over the target.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically. On failure the temporary file is removed and any previous file at
    /// `path` is untouched.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try write(to: path) { handle in try handle.write(contentsOf: Data(bytes)) }
    }

    /// Lets `body` write into a temporary file beside `path`, then renames it to `path`. If `body` throws, the
    /// temporary file is removed and the error is rethrown.
    public static func write(to path: String, _ body: (FileHandle) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ArchiveError("cannot write \(path): folder \(folder.path) does not exist")
        }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw ArchiveError("cannot write \(path): cannot create a file in \(folder.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            do {
                try body(handle)
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            guard rename(temporary.path, url.path) == 0 else {
                throw ArchiveError("cannot write \(path): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
