import Foundation

/// Where each entry's stored bytes lie in a zip archive: read from the central directory and checked against each
/// entry's local header, as Python's `zipfile` checks them.
///
/// ZIPFoundation reads an entry from the offset its local header implies until the deflate stream ends, and its
/// Linux inflate loop asks for more input forever once the file is exhausted: a damaged local header (a name length
/// pointing past the end) or a deflate stream that never ends made a 1.8 KB file hang the reader (found by the
/// libFuzzer target). `ZipReader` therefore reads exactly the byte ranges found here.
struct ZipDirectory {
    /// One central-directory record: the entry's name as stored and where its data lies.
    struct Record {
        /// The entry's name bytes as the central directory stores them.
        let name: [UInt8]
        /// The compressed (or stored) bytes of the entry, as offsets into the file.
        let data: Range<UInt64>
    }

    /// The records in central-directory order, which is the order ZIPFoundation iterates entries in.
    let records: [Record]

    /// Reads the central directory of the zip file `handle` (`fileSize` bytes; its end-of-central-directory record
    /// at `endRecordOffset`) and checks each entry's local header. `fail` makes the error for a message.
    init(handle: FileHandle, fileSize: UInt64, endRecordOffset: UInt64, fail: (String) -> Error) throws {
        func read(_ count: UInt64, at offset: UInt64, _ what: String) throws -> [UInt8] {
            guard offset <= fileSize, count <= fileSize - offset else {
                throw fail("the \(what) at byte \(offset) (\(count) bytes) lies past the end of the file (\(fileSize) bytes)")
            }
            try handle.seek(toOffset: offset)
            let bytes = [UInt8](try handle.read(upToCount: Int(count)) ?? Data())
            guard bytes.count == count else { throw fail("cannot read the \(what) at byte \(offset)") }
            return bytes
        }
        let end = try read(22, at: endRecordOffset, "end-of-central-directory record")
        var entryCount = UInt64(end.littleEndian(UInt16.self, at: 10))
        var directorySize = UInt64(end.littleEndian(UInt32.self, at: 12))
        var directoryOffset = UInt64(end.littleEndian(UInt32.self, at: 16))
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF, endRecordOffset >= 20 {
            let locator = try read(20, at: endRecordOffset - 20, "zip64 end-of-central-directory locator")
            guard locator.littleEndian(UInt32.self, at: 0) == 0x0706_4B50 else { throw fail("the zip64 end-of-central-directory locator is missing") }
            let end64 = try read(56, at: locator.littleEndian(UInt64.self, at: 8), "zip64 end-of-central-directory record")
            guard end64.littleEndian(UInt32.self, at: 0) == 0x0606_4B50 else { throw fail("the zip64 end-of-central-directory record is damaged") }
            entryCount = end64.littleEndian(UInt64.self, at: 32)
            directorySize = end64.littleEndian(UInt64.self, at: 40)
            directoryOffset = end64.littleEndian(UInt64.self, at: 48)
        }
        let directory = try read(directorySize, at: directoryOffset, "central directory")
        guard entryCount <= UInt64(directory.count / 46) else {
            throw fail("the central directory declares \(entryCount) entries, more than its \(directory.count) bytes hold")
        }
        var records: [Record] = []
        var position = 0
        for index in 0..<Int(entryCount) {
            guard position + 46 <= directory.count, directory.littleEndian(UInt32.self, at: position) == 0x0201_4B50 else {
                throw fail("central directory record \(index) is damaged")
            }
            let nameLength = Int(directory.littleEndian(UInt16.self, at: position + 28))
            let extraLength = Int(directory.littleEndian(UInt16.self, at: position + 30))
            let commentLength = Int(directory.littleEndian(UInt16.self, at: position + 32))
            let next = position + 46 + nameLength + extraLength + commentLength
            guard next <= directory.count else { throw fail("central directory record \(index) runs past the directory's end") }
            let name = Array(directory[(position + 46)..<(position + 46 + nameLength)])
            var compressedSize = UInt64(directory.littleEndian(UInt32.self, at: position + 20))
            let uncompressed32 = directory.littleEndian(UInt32.self, at: position + 24)
            var headerOffset = UInt64(directory.littleEndian(UInt32.self, at: position + 42))
            // Zip64 sizes and offsets replace the 32-bit fields that hold 0xFFFFFFFF, in this order.
            var extra = Array(directory[(position + 46 + nameLength)..<(position + 46 + nameLength + extraLength)])[...]
            while extra.count >= 4 {
                let id = extra.littleEndian(UInt16.self, at: extra.startIndex)
                let size = Int(extra.littleEndian(UInt16.self, at: extra.startIndex + 2))
                guard extra.count >= 4 + size else { break }
                if id == 0x0001 {
                    var field = extra.startIndex + 4
                    func next64() -> UInt64? {
                        guard field + 8 <= extra.startIndex + 4 + size else { return nil }
                        defer { field += 8 }
                        return extra.littleEndian(UInt64.self, at: field)
                    }
                    if uncompressed32 == 0xFFFF_FFFF { _ = next64() }
                    if compressedSize == 0xFFFF_FFFF { compressedSize = next64() ?? compressedSize }
                    if headerOffset == 0xFFFF_FFFF { headerOffset = next64() ?? headerOffset }
                }
                extra = extra.dropFirst(4 + size)
            }
            let header = try read(30, at: headerOffset, "local header of entry \(index)")
            guard header.littleEndian(UInt32.self, at: 0) == 0x0403_4B50 else {
                throw fail("the local header of entry '\(printable(name))' is damaged (no signature at byte \(headerOffset))")
            }
            let localNameLength = UInt64(header.littleEndian(UInt16.self, at: 26))
            let localExtraLength = UInt64(header.littleEndian(UInt16.self, at: 28))
            let localName = try read(localNameLength, at: headerOffset + 30, "local name of entry \(index)")
            guard localName == name else {
                throw fail("the local header of entry '\(printable(name))' names another entry (\(localName.count) bytes; a damaged file)")
            }
            let start = headerOffset + 30 + localNameLength + localExtraLength
            guard start <= fileSize, compressedSize <= fileSize - start else {
                throw fail("the data of entry '\(printable(name))' (\(compressedSize) bytes from byte \(start)) lies past the end of the file")
            }
            records.append(Record(name: name, data: start..<(start + compressedSize)))
            position = next
        }
        self.records = records
    }
}

/// `name` for a one-line message: decoded as UTF-8, control characters replaced, at most 80 characters.
private func printable(_ name: [UInt8]) -> String {
    let text = String(decoding: name, as: UTF8.self).map { $0.isNewline || $0.asciiValue.map { $0 < 32 || $0 == 127 } == true ? "?" : $0 }
    return text.count > 80 ? String(text.prefix(80)) + "…" : String(text)
}

private extension Collection where Element == UInt8, Index == Int {
    /// The little-endian integer of type `T` at `offset`; the caller has checked that its bytes are present.
    func littleEndian<T: FixedWidthInteger & UnsignedInteger>(_: T.Type, at offset: Int) -> T {
        var value: T = 0
        for byte in (0..<MemoryLayout<T>.size).reversed() { value = value << 8 | T(self[offset + byte]) }
        return value
    }
}
