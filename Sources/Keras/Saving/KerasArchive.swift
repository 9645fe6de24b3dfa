import Foundation
import ZIPFoundation

/// The entries of a Keras 3 model file: a `.keras` zip archive (stored or deflated entries) or an unzipped model
/// folder as `model.save(path, zipped=False)` writes it.
public struct KerasArchive: Sendable {
    /// The file or folder read.
    public let path: String
    /// The bytes of `config.json`.
    public let configBytes: [UInt8]
    /// The bytes of `metadata.json`, when present (Keras's loader never needs it).
    public let metadataBytes: [UInt8]?
    /// The bytes of the weights entry (`model.weights.h5`, or `model.weights.npz`).
    public let weightsBytes: [UInt8]
    /// Which weights entry the archive has.
    public let weightsFormat: WeightsFormat

    /// The two weights formats Keras writes into a `.keras` file.
    public enum WeightsFormat: String, Sendable { case h5, npz }
    /// Every entry name in the archive.
    public let entryNames: [String]

    /// The largest entry this reader extracts (1 GiB): larger ones are refused before any allocation.
    public static let maximumEntrySize: UInt64 = 1 << 30

    /// Reads the archive or folder at `path`.
    public init(path: String) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ArchiveError("\(path): no such file")
        }
        var entries: [String: [UInt8]] = [:]
        if isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            entryNames = names.sorted()
            for name in ["config.json", "metadata.json", "model.weights.h5", "model.weights.npz"] where names.contains(name) {
                let url = URL(fileURLWithPath: path).appendingPathComponent(name)
                guard let data = FileManager.default.contents(atPath: url.path) else { throw ArchiveError("\(path): cannot read \(name)") }
                entries[name] = [UInt8](data)
            }
        } else {
            let archive: Archive
            do {
                try Self.requireEndRecord(path)
                archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
            } catch let error as ArchiveError {
                throw error
            } catch {
                throw ArchiveError("\(path) is not a .keras file: not a zip archive")
            }
            var names: [String] = []
            for entry in archive { names.append(entry.path) }
            entryNames = names
            for name in ["config.json", "metadata.json", "model.weights.h5", "model.weights.npz"] {
                guard let entry = archive[name] else { continue }
                entries[name] = try Self.extract(entry, from: archive, archivePath: path)
            }
        }
        guard let config = entries["config.json"] else {
            throw ArchiveError("\(path) is not a Keras model: it has no config.json (entries: \(entryNames.joined(separator: ", ")))")
        }
        if let h5 = entries["model.weights.h5"] {
            (weightsBytes, weightsFormat) = (h5, .h5)
        } else if let npz = entries["model.weights.npz"] {
            (weightsBytes, weightsFormat) = (npz, .npz)
        } else {
            throw ArchiveError("\(path): expected a model.weights.h5 or model.weights.npz file")
        }
        configBytes = config
        metadataBytes = entries["metadata.json"]
    }

    private static func extract(_ entry: Entry, from archive: Archive, archivePath: String) throws -> [UInt8] {
        guard entry.type == .file else { throw ArchiveError("\(archivePath): entry \(entry.path) is not a file") }
        let size = entry.uncompressedSize
        guard size <= maximumEntrySize, size <= max(entry.compressedSize, 1) * 1000 || size < 1 << 20 else {
            throw ArchiveError("\(archivePath): entry \(entry.path) declares \(size) bytes, more than this reader accepts")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(size))
        let checksum: CRC32
        do {
            checksum = try archive.extract(entry, skipCRC32: false) { chunk in
                guard UInt64(bytes.count + chunk.count) <= size else { throw ArchiveError("\(archivePath): entry \(entry.path) is larger than it declares") }
                bytes += chunk
            }
        } catch let error as ArchiveError {
            throw error
        } catch {
            throw ArchiveError("\(archivePath): entry \(entry.path) is corrupt (\(error))")
        }
        // ZIPFoundation computes the checksum of what it streams but leaves the comparison to the caller.
        guard checksum == entry.checksum, UInt64(bytes.count) == size else {
            throw ArchiveError("\(archivePath): entry \(entry.path) is corrupt (its CRC-32 or size does not match the archive's record)")
        }
        return bytes
    }

    /// The longest a zip's end-of-central-directory record can sit before the end of the file (its 22 bytes plus a
    /// comment of at most 65,535).
    private static let endRecordSearchLength = 22 + 65_535

    /// Throws unless the end-of-central-directory record (`PK\u{5}\u{6}`) is in the file's last 64 KiB, where every
    /// zip has it. A truncated archive lacks it, and ZIPFoundation would search the whole file for it byte by byte
    /// (a minute for a 300 MB file).
    private static func requireEndRecord(_ path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ArchiveError("\(path): cannot read the file") }
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size - min(size, UInt64(endRecordSearchLength)))
        let tail = [UInt8](try handle.readToEnd() ?? Data())
        let signature: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
        guard tail.count >= 22, (0...(tail.count - 22)).contains(where: { tail[$0..<($0 + 4)].elementsEqual(signature) }) else {
            throw ArchiveError("\(path) is not a .keras file: not a zip archive (no end-of-central-directory record; truncated?)")
        }
    }
}
