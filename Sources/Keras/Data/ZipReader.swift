import Foundation
import ZIPFoundation

/// Reading a zip archive (a `.keras` file, an `.npz`) with the checks Python's `zipfile` makes and a few more:
/// the end-of-central-directory record must be where every zip has it, no two entries may share a name (Python
/// silently takes the last one; which one a reader takes is an accident), every entry's size is bounded before
/// anything is allocated, and every entry's CRC-32 and size must match the archive's record (Python raises
/// `BadZipFile`).
struct ZipReader {
    /// The archive's file, for messages.
    let path: String
    /// The archive's file entries, in archive order, each name once.
    let entries: [Entry]
    /// The largest entry `extract` accepts: larger ones are refused before any allocation.
    let maximumEntrySize: UInt64
    /// The archive's size in bytes, which no entry's compressed data can exceed.
    private let fileSize: UInt64
    private let archive: Archive
    private let makeError: (String) -> Error

    /// The largest ratio of an entry's size to its compressed size: deflate cannot exceed about 1032 to 1, so a
    /// larger declared size is a lie, refused before it is allocated.
    static let maximumCompressionRatio: UInt64 = 1100

    /// Opens the zip archive at `path`; `kind` (`a .keras file`) names what it should be in messages, `makeError`
    /// makes the error thrown for a problem described by a complete message.
    init(path: String, kind: String, maximumEntrySize: UInt64, makeError: @escaping (String) -> Error) throws {
        self.path = path
        self.maximumEntrySize = maximumEntrySize
        self.makeError = makeError
        fileSize = try Self.requireEndRecord(path, kind: kind, makeError: makeError)
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw makeError("\(path) is not \(kind): not a zip archive")
        }
        var seen = Set<String>()
        var entries: [Entry] = []
        for entry in archive {
            guard seen.insert(entry.path).inserted else {
                throw makeError("\(path): the archive holds two entries named '\(entry.path)' (a damaged or tampered file)")
            }
            entries.append(entry)
        }
        self.entries = entries
    }

    /// The entry named `name`, if any.
    subscript(name: String) -> Entry? { entries.first { $0.path == name } }

    /// The bytes of `entry`, after checking its declared size (at most `maximumEntrySize`, and at most
    /// `maximumCompressionRatio` times its compressed size once above 1 MiB) and its CRC-32.
    func extract(_ entry: Entry) throws -> [UInt8] {
        guard entry.type == .file else { throw makeError("\(path): entry \(entry.path) is not a file") }
        let size = entry.uncompressedSize
        guard size <= maximumEntrySize, size / Self.maximumCompressionRatio <= entry.compressedSize || size < 1 << 20 else {
            throw makeError("\(path): entry \(entry.path) declares \(size) bytes, more than this reader accepts")
        }
        guard entry.compressedSize <= fileSize else {
            throw makeError("\(path): entry \(entry.path) declares \(entry.compressedSize) compressed bytes, more than the whole archive's \(fileSize)")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(size))
        let checksum: CRC32
        var overrun = false
        do {
            checksum = try archive.extract(entry, skipCRC32: false) { chunk in
                guard UInt64(bytes.count + chunk.count) <= size else { overrun = true; throw CocoaError(.fileReadCorruptFile) }
                bytes += chunk
            }
        } catch {
            if overrun { throw makeError("\(path): entry \(entry.path) is larger than it declares") }
            throw makeError("\(path): entry \(entry.path) is corrupt (\(error))")
        }
        // ZIPFoundation computes the checksum of what it streams but leaves the comparison to the caller.
        guard checksum == entry.checksum, UInt64(bytes.count) == size else {
            throw makeError("\(path): entry \(entry.path) is corrupt (its CRC-32 or size does not match the archive's record)")
        }
        return bytes
    }

    /// The longest a zip's end-of-central-directory record can sit before the end of the file (its 22 bytes plus a
    /// comment of at most 65,535).
    private static let endRecordSearchLength = 22 + 65_535

    /// Throws unless the end-of-central-directory record (`PK\u{5}\u{6}`) is in the file's last 64 KiB, where every
    /// zip has it. A truncated archive lacks it, and ZIPFoundation would search the whole file for it byte by byte
    /// (a minute for a 300 MB file). Returns the file's size.
    private static func requireEndRecord(_ path: String, kind: String, makeError: (String) -> Error) throws -> UInt64 {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw makeError("\(path): cannot read the file") }
        defer { try? handle.close() }
        let tail: [UInt8]
        let size: UInt64
        do {
            size = try handle.seekToEnd()
            try handle.seek(toOffset: size - min(size, UInt64(endRecordSearchLength)))
            tail = [UInt8](try handle.readToEnd() ?? Data())
        } catch {
            throw makeError("\(path): cannot read the file (\(error))")
        }
        let signature: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
        guard tail.count >= 22, (0...(tail.count - 22)).contains(where: { tail[$0..<($0 + 4)].elementsEqual(signature) }) else {
            throw makeError("\(path) is not \(kind): not a zip archive (no end-of-central-directory record; truncated?)")
        }
        return size
    }
}
