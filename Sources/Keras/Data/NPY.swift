import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reading and writing NumPy's `.npy` format (versions 1.0, 2.0 and 3.0). Files are read in either byte order and
/// in C or Fortran order; they are written little-endian in C order, as `np.save` writes them.
public enum NPY {
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// Where the header text of `.npy` bytes starts and how long it says it is (the first 12 bytes suffice).
    static func headerSpan(_ bytes: [UInt8], name: String) throws -> (start: Int, length: Int) {
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw NPYError("\(name) is not an .npy file (bad magic bytes)")
        }
        let major = bytes[6]
        let span: (start: Int, length: Int)
        switch major {
        case 1:
            span = (10, Int(bytes[8]) | Int(bytes[9]) << 8)
        case 2, 3:
            guard bytes.count >= 12 else { throw NPYError("\(name): truncated header") }
            span = (12, (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) })
        default:
            throw NPYError("\(name): unsupported .npy format version \(major).\(bytes[7])")
        }
        guard span.length <= 1 << 20 else { throw NPYError("\(name): header of \(span.length) bytes is absurdly large") }
        return span
    }

    /// The header fields of `.npy` bytes and where the data starts.
    static func header(_ bytes: [UInt8], name: String) throws -> (descr: String, fortran: Bool, shape: [Int], dataStart: Int) {
        let (headerStart, headerLength) = try headerSpan(bytes, name: name)
        guard headerStart + headerLength <= bytes.count else {
            throw NPYError("\(name): truncated header (declares \(headerLength) bytes, file has \(bytes.count - headerStart))")
        }
        let header = String(decoding: bytes[headerStart..<headerStart + headerLength], as: UTF8.self)
        let (descr, fortran, shape) = try parseHeader(header, name: name)
        return (descr, fortran, shape, headerStart + headerLength)
    }

    /// Reads an array from `.npy` bytes; `name` is used in messages. Big-endian and Fortran-order files are
    /// converted to little-endian C order.
    public static func read(_ bytes: [UInt8], name: String = "array") throws -> NPYArray {
        let (descr, fortran, shape, dataStart) = try header(bytes, name: name)
        return try NPYArray(shape: shape, descr: descr, fortranOrder: fortran, stored: bytes[dataStart...], name: name)
    }

    /// The number of elements of `shape`, refused when absurdly large.
    static func elementCount(_ shape: [Int], name: String) throws -> Int {
        var count = 1
        for d in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, product <= 1 << 32 else { throw NPYError("\(name): shape \(shape) is absurdly large") }
            count = product
        }
        return count
    }

    /// Reads the `.npy` file at `path` as a Float32 tensor. A float32 little-endian C-order file — what `np.save`
    /// writes for float32 arrays — is read straight into the tensor's storage, without an intermediate copy of the
    /// dataset; other element types, big-endian and Fortran-order files are converted as `read(path:)` then
    /// `tensor()` would.
    public static func readTensor(path: String) throws -> Tensor {
        guard let (file, shape, dataStart, count) = try openFloat32(path: path) else { return try read(path: path).tensor() }
        defer { try? file.close() }
        try file.seek(toOffset: UInt64(dataStart))
        var failure: Error?
        let scalars = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            var done = 0
            while done < raw.count {
                let n = Glibc.read(file.fileDescriptor, raw.baseAddress! + done, raw.count - done)
                if n <= 0 { failure = NPYError("\(path): the file ended after \(done) of \(raw.count) data bytes"); break }
                done += n
            }
            if failure != nil { raw.initializeMemory(as: UInt8.self, repeating: 0) }
            initialized = count
        }
        if let failure { throw failure }
        #if _endian(big)
        return Tensor(shape: shape, scalars: scalars.map { Float(bitPattern: $0.bitPattern.byteSwapped) })
        #else
        return Tensor(shape: shape, scalars: scalars)
        #endif
    }

    /// Opens the `.npy` file at `path` when it holds float32 little-endian C-order data and checks that the file holds
    /// exactly the data its header declares (the caller closes the file); `nil`, the file closed, for other element
    /// types and layouts.
    static func openFloat32(path: String) throws -> (file: FileHandle, shape: [Int], dataStart: Int, count: Int)? {
        let (file, (descr, fortran, shape, dataStart)) = try openReadingHeader(path: path)
        do {
            guard !fortran, ["<f4", "=f4"].contains(descr) else { try? file.close(); return nil }
            let count = try elementCount(shape, name: path)
            let size = try file.seekToEnd()
            guard size == UInt64(dataStart + count * 4) else {
                throw NPYError("\(path): expected \(count * 4) bytes of data for shape \(shape) \(descr), found \(Int(size) - dataStart)")
            }
            return (file, shape, dataStart, count)
        } catch {
            try? file.close()
            throw error
        }
    }

    /// The shape the `.npy` file at `path` declares, read from its header alone.
    public static func shape(path: String) throws -> [Int] {
        let (file, header) = try openReadingHeader(path: path)
        try? file.close()
        return header.shape
    }

    /// Opens the `.npy` file at `path` and reads its header fields (the file is left open for its data).
    private static func openReadingHeader(path: String) throws -> (FileHandle, (descr: String, fortran: Bool, shape: [Int], dataStart: Int)) {
        guard let file = FileHandle(forReadingAtPath: path) else { throw NPYError("\(path): cannot read the file") }
        do {
            let (start, length) = try headerSpan([UInt8](try file.read(upToCount: 12) ?? Data()), name: path)
            try file.seek(toOffset: 0)
            let headerBytes = [UInt8](try file.read(upToCount: start + length) ?? Data())
            return (file, try header(headerBytes, name: path))
        } catch {
            try? file.close()
            throw error
        }
    }

    /// Reads the `.npy` file at `path`.
    public static func read(path: String) throws -> NPYArray {
        guard let data = FileManager.default.contents(atPath: path) else { throw NPYError("\(path): cannot read the file") }
        return try read([UInt8](data), name: path)
    }

    /// Parses `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
    private static func parseHeader(_ header: String, name: String) throws -> (String, Bool, [Int]) {
        func value(_ key: String) -> Substring? {
            guard let r = header.range(of: "'\(key)':") else { return nil }
            return header[r.upperBound...].drop { $0 == " " }
        }
        guard let d = value("descr"), d.first == "'", let end = d.dropFirst().firstIndex(of: "'") else {
            throw NPYError("\(name): header has no 'descr': \(header.prefix(80))")
        }
        let descr = String(d[d.index(after: d.startIndex)..<end])
        guard let f = value("fortran_order") else { throw NPYError("\(name): header has no 'fortran_order'") }
        let fortran = f.hasPrefix("True")
        guard let s = value("shape"), s.first == "(", let close = s.firstIndex(of: ")") else {
            throw NPYError("\(name): header has no 'shape' tuple")
        }
        var shape: [Int] = []
        for part in s[s.index(after: s.startIndex)..<close].split(separator: ",") {
            let t = part.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            guard let v = Int(t.hasSuffix("L") ? String(t.dropLast()) : t), v >= 0 else { throw NPYError("\(name): bad shape entry '\(t)'") }
            shape.append(v)
        }
        return (descr, fortran, shape)
    }

    /// The bytes of a version-1.0 `.npy` file holding `array`, as `np.save` writes it (header padded to 64 bytes).
    public static func bytes(_ array: NPYArray) -> [UInt8] {
        let dims = array.shape.map(String.init).joined(separator: ", ") + (array.shape.count == 1 ? "," : "")
        var header = "{'descr': '\(array.dtype.rawValue)', 'fortran_order': False, 'shape': (\(dims)), }"
        let total = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - total % 64) % 64) + "\n"
        var out = magic + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
        out += Array(header.utf8)
        out += array.data
        return out
    }

    /// The bytes of a `.npy` file holding float32 `scalars` of `shape`.
    public static func bytes(floats scalars: [Float], shape: [Int]) -> [UInt8] {
        var data: [UInt8] = []
        scalars.withUnsafeBytes { data += $0 }
        return bytes(NPYArray(shape: shape, dtype: .float32, data: data))
    }

    /// Writes float32 `tensor` to `path` as `.npy`, atomically.
    public static func write(_ tensor: Tensor, to path: String) throws {
        try AtomicFile.write(bytes(floats: tensor.scalars, shape: tensor.shape), to: path)
    }
}
