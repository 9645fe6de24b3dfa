import Foundation
import ZIPFoundation

/// Builds a `.keras` zip as Keras 3 lays it out: `metadata.json`, `config.json`, `model.weights.h5`, in that
/// order, all stored uncompressed.
enum KerasArchiveWriter {
    /// The zip's bytes for the given entries, in order.
    static func archiveBytes(entries: [(name: String, bytes: [UInt8])]) throws -> [UInt8] {
        let archive: Archive
        do {
            archive = try Archive(data: Data(), accessMode: .create)
        } catch {
            throw ArchiveError("cannot create a zip archive in memory: \(error)")
        }
        for (name, bytes) in entries {
            let data = Data(bytes)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .none) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw ArchiveError("cannot finish the zip archive") }
        return [UInt8](data)
    }
}
