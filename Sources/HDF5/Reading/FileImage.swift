/// The bytes of an HDF5 file with its superblock's parameters: the one place file addresses become byte positions.
///
/// The reader never trusts the file: every address, length and count is checked against the bytes before it is used
/// (see `Cursor`), so a truncated or corrupted file throws an `HDF5Error` instead of reading out of bounds.
struct FileImage: Sendable {
    /// The whole file.
    let bytes: [UInt8]
    /// A name for messages: the path, or the name given to an in-memory image.
    let name: String
    /// The position of the superblock, which file addresses are relative to (non-zero after a user block).
    let base: Int
    /// The size of file addresses and of lengths, in bytes (2, 4 or 8; 8 in every file h5py writes).
    let offsetSize: Int
    let lengthSize: Int
    /// The address of the root group's object header.
    private(set) var rootAddress: UInt64

    private static let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Finds and reads the superblock (format versions 0 to 3) at byte 0 or after a user block (512, 1024, 2048 …).
    init(bytes: [UInt8], name: String) throws {
        var at = 0
        while at + Self.signature.count <= bytes.count, !bytes[at..<at + Self.signature.count].elementsEqual(Self.signature) {
            at = at == 0 ? 512 : at * 2
        }
        guard at + Self.signature.count <= bytes.count else {
            throw HDF5Error("\(name) is not an HDF5 file: no HDF5 signature in its \(bytes.count) bytes")
        }
        let truncated = HDF5Error("\(name) is not a readable HDF5 file: its superblock is truncated (\(bytes.count) bytes)")
        guard at + 12 <= bytes.count else { throw truncated }
        let version = bytes[at + 8]
        (self.bytes, self.name, self.base) = (bytes, name, at)
        switch version {
        case 0, 1:
            guard at + 24 <= bytes.count else { throw truncated }
            (offsetSize, lengthSize) = (Int(bytes[at + 13]), Int(bytes[at + 14]))
        case 2, 3:
            (offsetSize, lengthSize) = (Int(bytes[at + 9]), Int(bytes[at + 10]))
        default:
            throw HDF5Error("\(name): HDF5 superblock version \(version) is not supported (0 to 3 are)")
        }
        guard [2, 4, 8].contains(offsetSize), [2, 4, 8].contains(lengthSize) else {
            throw HDF5Error("\(name) is not a readable HDF5 file: its superblock declares \(offsetSize)-byte addresses and \(lengthSize)-byte lengths")
        }
        rootAddress = 0
        var cursor = Cursor(image: self, position: at, end: bytes.count, context: "the superblock")
        if version <= 1 {
            // signature, 8 version and size bytes, 2 B-tree K values, flags; version 1 adds a K value and padding;
            // then base, free-space, end-of-file and driver addresses, and the root group's symbol table entry.
            try cursor.skip(24 + (version == 1 ? 4 : 0) + 4 * offsetSize + offsetSize)
        } else {
            // signature, version, sizes, flags; base, superblock extension and end-of-file addresses.
            try cursor.skip(12 + 3 * offsetSize)
        }
        guard let root = try cursor.address() else { throw corrupt("the superblock has no root group") }
        rootAddress = root
    }

    /// The all-ones value that means "no address".
    var undefinedAddress: UInt64 { offsetSize == 8 ? .max : (UInt64(1) << (8 * offsetSize)) - 1 }

    /// A cursor over the `length` bytes (or all remaining bytes) at file `address`; throws when they are not in the file.
    func cursor(at address: UInt64, length: UInt64? = nil, _ context: @autoclosure () -> String) throws -> Cursor {
        let available = UInt64(bytes.count - base)
        guard address < available else { throw corrupt("\(context()) at address \(address) lies beyond the end of the file (\(bytes.count) bytes)") }
        let start = base + Int(address)
        guard let length else { return Cursor(image: self, position: start, end: bytes.count, context: context()) }
        guard length <= available - address else {
            throw corrupt("\(context()) at address \(address) (\(length) bytes) runs past the end of the file (\(bytes.count) bytes)")
        }
        return Cursor(image: self, position: start, end: start + Int(length), context: context())
    }

    /// The error for a structure that is not what the format says: the file is damaged.
    func corrupt(_ what: String) -> HDF5Error {
        HDF5Error("\(name) is not a readable HDF5 file (truncated or corrupt): \(what)")
    }

    /// The error for a valid structure this reader does not implement.
    func unsupported(_ what: String) -> HDF5Error {
        HDF5Error("\(name): \(what), which this reader does not support (files written by h5py and Keras with default settings are read)")
    }
}

/// A bounds-checked reader of little-endian fields within one structure of the file (`position..<end`); running
/// past `end` throws, naming the structure (`context`).
struct Cursor {
    let image: FileImage
    var position: Int
    let end: Int
    let context: String

    var remaining: Int { end - position }

    /// The byte positions of the next `count` bytes, consumed.
    mutating func take(_ count: Int) throws -> Range<Int> {
        guard count >= 0, count <= remaining else {
            throw image.corrupt("\(context) is cut short (needs \(count) more bytes at byte \(position), has \(max(0, remaining)))")
        }
        defer { position += count }
        return position..<(position + count)
    }

    mutating func skip(_ count: Int) throws { _ = try take(count) }

    /// An unsigned little-endian integer of `size` bytes (at most 8).
    mutating func uint(_ size: Int) throws -> UInt64 {
        let range = try take(size)
        var value: UInt64 = 0
        for i in range.reversed() { value = value << 8 | UInt64(image.bytes[i]) }
        return value
    }

    mutating func u8() throws -> UInt8 { UInt8(try uint(1)) }
    mutating func u16() throws -> Int { Int(try uint(2)) }
    mutating func u32() throws -> Int { Int(try uint(4)) }

    /// A length field, as an `Int` no larger than the file (a larger one cannot describe anything in it).
    mutating func length() throws -> Int {
        let value = try uint(image.lengthSize)
        guard value <= UInt64(image.bytes.count) else { throw image.corrupt("\(context) declares a length of \(value) bytes, more than the whole file") }
        return Int(value)
    }

    /// A file address, or nil for the undefined address.
    mutating func address() throws -> UInt64? {
        let value = try uint(image.offsetSize)
        return value == image.undefinedAddress ? nil : value
    }

    /// Throws unless the next bytes are `signature` (e.g. `"TREE"`).
    mutating func expect(signature: String) throws {
        let range = try take(signature.utf8.count)
        guard image.bytes[range].elementsEqual(signature.utf8) else {
            throw image.corrupt("\(context) does not start with the signature \(signature)")
        }
    }

    /// The next `count` bytes.
    mutating func bytes(_ count: Int) throws -> ArraySlice<UInt8> { image.bytes[try take(count)] }

    /// The next `count` bytes as a name: up to the first NUL, decoded as UTF-8.
    mutating func name(_ count: Int) throws -> String {
        String(decoding: try bytes(count).prefix { $0 != 0 }, as: UTF8.self)
    }
}
