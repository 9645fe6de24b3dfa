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
        var arrays: [String: NPYArray] = [:]
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
            arrays[String(entry.path.dropLast(4))] = try NPY.read(bytes, name: "\(path)/\(entry.path)")
        }
        return arrays
    }
}
