import Foundation
import SystemZlib
import ZIPFoundation

/// Reading a zip archive (a `.keras` file, an `.npz`) with the checks Python's `zipfile` makes and a few more:
/// the end-of-central-directory record must be where every zip has it, no two entries may share a name (Python
/// silently takes the last one; which one a reader takes is an accident), every entry's size is bounded before
/// anything is allocated, and every entry's CRC-32 and size must match the archive's record (Python raises
/// `BadZipFile`). Each entry's bytes are read from the range the central directory gives it (`ZipDirectory`), never
/// past it.
struct ZipReader {
    /// The archive's file, for messages.
    let path: String
    /// The archive's file entries, in archive order, each name once.
    let entries: [Entry]
    /// The largest entry `extract` accepts: larger ones are refused before any allocation.
    let maximumEntrySize: UInt64
    private let archive: Archive
    private let file: FileHandle
    /// Where each entry's stored bytes lie, by the entry's position in `entries`.
    private let dataRanges: [Range<UInt64>]
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
        guard let file = FileHandle(forReadingAtPath: path) else { throw makeError("\(path): cannot read the file") }
        self.file = file
        let (fileSize, endRecordOffset) = try Self.requireEndRecord(file, path: path, kind: kind, makeError: makeError)
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
        let directory: ZipDirectory
        do {
            directory = try ZipDirectory(handle: file, fileSize: fileSize, endRecordOffset: endRecordOffset) { makeError("\(path): \($0)") }
        } catch let error as CocoaError {
            throw makeError("\(path): cannot read the file (\(error))")
        }
        guard directory.records.count == entries.count else {
            throw makeError("\(path): the central directory is damaged (\(directory.records.count) records for \(entries.count) entries)")
        }
        dataRanges = directory.records.map(\.data)
    }

    /// The entry named `name`, if any.
    subscript(name: String) -> Entry? { entries.first { $0.path == name } }

    /// The bytes of `entry`, after checking its declared size (at most `maximumEntrySize`, and at most
    /// `maximumCompressionRatio` times its compressed size once above 1 MiB) and its CRC-32.
    func extract(_ entry: Entry) throws -> [UInt8] {
        guard entry.type == .file else { throw makeError("\(path): entry \(entry.path) is not a file") }
        guard let index = entries.firstIndex(of: entry) else { throw makeError("\(path): entry \(entry.path) is not in the archive") }
        let range = dataRanges[index]
        let size = entry.uncompressedSize
        guard size <= maximumEntrySize, size / Self.maximumCompressionRatio <= UInt64(range.count) || size < 1 << 20 else {
            throw makeError("\(path): entry \(entry.path) declares \(size) bytes, more than this reader accepts")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(size))
        var checksum: CRC32 = 0
        var overrun = false
        /// Whether the inflate reached the end of the entry's recorded bytes (the zeros padding its last chunk).
        var truncated = false
        do {
            try file.seek(toOffset: range.lowerBound)
            let stored = Int64(range.count)
            // The compressed bytes are read up to the entry's end and no further: a deflate stream that has not
            // ended by then is truncated (ZIPFoundation's own reader would keep asking for input).
            // ZIPFoundation's Linux inflate tells zlib each chunk holds `chunkSize` bytes whatever its length, so the
            // last chunk is padded with zeros to that length (a stream still running there fails on them).
            let readStored: Provider = { position, chunkSize in
                guard position < stored else { truncated = true; throw CocoaError(.fileReadCorruptFile) }
                var chunk = try file.read(upToCount: Int(min(Int64(chunkSize), stored - position))) ?? Data()
                guard !chunk.isEmpty else { truncated = true; throw CocoaError(.fileReadCorruptFile) }
                if entry.isCompressed, chunk.count < chunkSize { chunk.append(Data(count: chunkSize - chunk.count)); truncated = true }
                return chunk
            }
            // The checksum is zlib's (ZIPFoundation's own runs byte by byte: a third of a second per 100 MB).
            let keep: Consumer = { chunk in
                guard UInt64(bytes.count + chunk.count) <= size else { overrun = true; throw CocoaError(.fileReadCorruptFile) }
                bytes += chunk
                checksum = chunk.withUnsafeBytes { CRC32(SystemZlib.crc32(uLong(checksum), $0.bindMemory(to: Bytef.self).baseAddress, uInt($0.count))) }
            }
            if entry.isCompressed {
                _ = try Data.decompress(size: stored, bufferSize: 1 << 16, skipCRC32: true, provider: readStored, consumer: keep)
            } else {
                var position: Int64 = 0
                while position < stored {
                    let chunk = try readStored(position, 1 << 16)
                    try keep(chunk)
                    position += Int64(chunk.count)
                }
            }
        } catch {
            if truncated { throw makeError("\(path): entry \(entry.path) is corrupt (its deflate stream does not end within its \(range.count) recorded bytes)") }
            if overrun { throw makeError("\(path): entry \(entry.path) is larger than it declares") }
            throw makeError("\(path): entry \(entry.path) is corrupt (\(error))")
        }
        // The checksum of what was read, compared with the archive's record.
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
    /// (a minute for a 300 MB file). Returns the file's size and the record's offset (the last one, as Python takes).
    private static func requireEndRecord(_ handle: FileHandle, path: String, kind: String, makeError: (String) -> Error) throws -> (size: UInt64, endRecord: UInt64) {
        let tail: [UInt8]
        let size: UInt64
        let tailStart: UInt64
        do {
            size = try handle.seekToEnd()
            tailStart = size - min(size, UInt64(endRecordSearchLength))
            try handle.seek(toOffset: tailStart)
            tail = [UInt8](try handle.readToEnd() ?? Data())
        } catch {
            throw makeError("\(path): cannot read the file (\(error))")
        }
        let signature: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
        guard tail.count >= 22, let offset = (0...(tail.count - 22)).last(where: { tail[$0..<($0 + 4)].elementsEqual(signature) }) else {
            throw makeError("\(path) is not \(kind): not a zip archive (no end-of-central-directory record; truncated?)")
        }
        return (size, tailStart + UInt64(offset))
    }
}
