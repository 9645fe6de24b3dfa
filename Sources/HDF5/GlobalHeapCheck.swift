/// A structural check of an HDF5 file's global heap collections (where variable-length strings live), made
/// before libhdf5 opens the file: libhdf5 1.10 loops forever on a collection whose object sizes are corrupt
/// (the object walk stops advancing), so such a file must be refused before any string is read (found by the
/// fuzz test).
///
/// A collection starts with `GCOL`, version 1, three zero bytes and its size (8 bytes); objects follow, each with
/// a 16-byte header (index, reference count, reserved, size) and data padded to 8 bytes. libhdf5 walks them to the
/// end of the collection; for a free-space object (index 0) it advances by the declared size alone, header
/// included, so a free-space size below 16 never advances — the hang this check prevents. Candidates without the exact header are not collections and are ignored, so the
/// raw bytes of weights cannot cause false alarms in practice.
enum GlobalHeapCheck {
    /// The objects of the valid collections: collection offset in the file → object index → object size.
    typealias Objects = [Int: [UInt64: UInt64]]

    /// Throws when a global heap collection in `bytes` is inconsistent; returns the objects of every collection.
    @discardableResult
    static func validate(_ bytes: [UInt8], name: String) throws -> Objects {
        let signature: [UInt8] = [0x47, 0x43, 0x4F, 0x4C]   // "GCOL"
        var objects: Objects = [:]
        guard bytes.count >= 16 else { return objects }
        try bytes.withUnsafeBufferPointer { b in
            func read(_ at: Int, _ n: Int) -> UInt64 {
                var v: UInt64 = 0
                for i in stride(from: n - 1, through: 0, by: -1) { v = v << 8 | UInt64(b[at + i]) }
                return v
            }
            var start = 0
            while start + 16 <= b.count {
                guard b[start] == signature[0], b[start + 1] == signature[1], b[start + 2] == signature[2], b[start + 3] == signature[3],
                      b[start + 4] == 1, b[start + 5] == 0, b[start + 6] == 0, b[start + 7] == 0 else {
                    start += 1
                    continue
                }
                let size = read(start + 8, 8)
                guard size >= 16, size <= UInt64(b.count - start) else {
                    throw HDF5Error("\(name): a global heap collection at byte \(start) declares \(size) bytes, beyond the file: the file is corrupt")
                }
                let end = start + Int(size)
                var p = start + 16
                var found: [UInt64: UInt64] = [:]
                while p + 16 <= end {
                    let index = read(p, 2)
                    let objectSize = read(p + 8, 8)
                    // The size is checked against the collection before any arithmetic on it (no overflow).
                    let room = UInt64(end - p)
                    let step: UInt64 = objectSize > room ? .max : (index == 0 ? objectSize : 16 + (objectSize + 7) / 8 * 8)
                    guard step >= 16, step <= room else {
                        throw HDF5Error("\(name): global heap object \(index) at byte \(p) declares \(objectSize) bytes, which does not fit its collection: the file is corrupt")
                    }
                    if index != 0 { found[index] = objectSize }
                    p += Int(step)
                }
                objects[start] = found
                start += 1
            }
        }
        return objects
    }
}
