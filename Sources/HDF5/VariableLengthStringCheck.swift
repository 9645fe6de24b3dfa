/// A check of every variable-length string attribute in an HDF5 file, made before libhdf5 opens it: libhdf5 1.10
/// follows a string's heap descriptor (length, global heap collection address, object index) without bounds checks,
/// so a corrupted descriptor in, say, a Keras 2 file's `model_config` attribute crashes the process (found by the
/// fuzz test). Every attribute message whose datatype is a variable-length string is found and parsed, and each
/// descriptor must name an object of a valid global heap collection (see `GlobalHeapCheck`) at least as long as the
/// string.
///
/// Only byte runs with the full structure of an attribute message are considered (version, a NUL-terminated
/// printable name, a variable-length string datatype, a scalar or simple dataspace), so raw weight bytes cannot
/// raise false alarms in practice; a run that does not parse is left to libhdf5.
enum VariableLengthStringCheck {
    /// Throws when a variable-length string attribute points outside the file's global heap objects.
    static func validate(_ bytes: [UInt8], heap: GlobalHeapCheck.Objects, name: String) throws {
        guard let base = baseAddress(bytes) else { return }   // unusual superblock or offsets: leave it to libhdf5
        try bytes.withUnsafeBufferPointer { b in
            func read(_ at: Int, _ n: Int) -> UInt64 {
                var v: UInt64 = 0
                for i in stride(from: n - 1, through: 0, by: -1) { v = v << 8 | UInt64(b[at + i]) }
                return v
            }
            func padded(_ n: Int, _ pad: Bool) -> Int { pad ? (n + 7) / 8 * 8 : n }
            var at = 0
            while at + 8 <= b.count {
                defer { at += 1 }
                let version = b[at]
                guard version >= 1 && version <= 3, version != 1 || b[at + 1] == 0 else { continue }
                let nameSize = Int(read(at + 2, 2)), typeSize = Int(read(at + 4, 2)), spaceSize = Int(read(at + 6, 2))
                guard nameSize >= 2, nameSize <= 1024, typeSize >= 8, typeSize <= 1024, spaceSize >= 8, spaceSize <= 1024 else { continue }
                let pad = version == 1
                let nameAt = at + (version == 3 ? 9 : 8)
                let typeAt = nameAt + padded(nameSize, pad)
                let spaceAt = typeAt + padded(typeSize, pad)
                let dataAt = spaceAt + padded(spaceSize, pad)
                guard dataAt <= b.count else { continue }
                // The name: printable ASCII, NUL-terminated.
                guard b[nameAt + nameSize - 1] == 0,
                      (nameAt..<(nameAt + nameSize - 1)).allSatisfy({ b[$0] >= 0x20 && b[$0] < 0x7F }) else { continue }
                // The datatype: class 9 (variable-length), type 1 (string), 16-byte elements (length, address, index).
                guard b[typeAt] & 0x0F == 9, b[typeAt] >> 4 >= 1, b[typeAt + 1] & 0x0F == 1, read(typeAt + 4, 4) == 16 else { continue }
                // Its base type must be the 1-byte character type: libhdf5 sizes (and zero-fills) a conversion buffer
                // of length × base size per string, so a corrupted base size means gigabytes.
                let attributeName = String(decoding: b[nameAt..<(nameAt + nameSize - 1)], as: UTF8.self)
                guard typeSize >= 20, read(typeAt + 12, 4) == 1 else {
                    throw HDF5Error("\(name): the string attribute '\(attributeName)' declares characters of \(typeSize >= 20 ? read(typeAt + 12, 4) : 0) bytes, not 1: the file is corrupt")
                }
                // The dataspace: version 1 or 2, rank ≤ 4, its element count.
                let spaceVersion = b[spaceAt], rank = Int(b[spaceAt + 1])
                guard spaceVersion == 1 || spaceVersion == 2, rank <= 4 else { continue }
                let dimsAt = spaceAt + (spaceVersion == 1 ? 8 : 4)
                guard dimsAt + rank * 8 <= b.count else { continue }
                var count: UInt64 = 1
                for d in 0..<rank {
                    let size = read(dimsAt + d * 8, 8)
                    guard size <= UInt64(b.count) else { count = .max; break }
                    count *= size
                }
                if spaceVersion == 2, b[spaceAt + 3] == 2 { count = 0 }   // a null dataspace holds nothing
                let attribute = attributeName
                // libhdf5 would read (and convert, zero-filling a buffer per string) descriptors past the message.
                guard count <= UInt64((b.count - dataAt) / 16) else {
                    throw HDF5Error("\(name): the string attribute '\(attribute)' declares \(count == .max ? "an absurd number of" : "\(count)") strings, more than the file holds: the file is corrupt")
                }
                for element in 0..<Int(count) {
                    let descriptor = dataAt + element * 16
                    let length = read(descriptor, 4), address = read(descriptor + 4, 8), index = read(descriptor + 12, 4)
                    guard length > 0 else { continue }
                    guard address >= base, address - base < UInt64(b.count),
                          let objects = heap[Int(address - base)], let size = objects[index], size >= length else {
                        throw HDF5Error("\(name): the string attribute '\(attribute)' points at global heap object \(index) of the collection at \(address), which does not hold \(length) bytes: the file is corrupt")
                    }
                }
            }
        }
    }

    /// The superblock's base address (what file addresses are relative to), when the superblock is at byte 0 and
    /// uses 8-byte addresses; nil otherwise.
    static func baseAddress(_ b: [UInt8]) -> UInt64? {
        guard b.count >= 48 else { return nil }
        func read(_ at: Int) -> UInt64 { (0..<8).reversed().reduce(0) { $0 << 8 | UInt64(b[at + $1]) } }
        switch b[8] {
        case 0: return b[13] == 8 ? read(24) : nil
        case 1: return b[13] == 8 ? read(28) : nil
        case 2, 3: return b[9] == 8 ? read(12) : nil
        default: return nil
        }
    }
}
