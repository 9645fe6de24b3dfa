import CHDF5

/// Reading strings, shared by attributes and datasets: fixed-length (h5py 2's `|S<n>`; NUL-padded, NUL-terminated or
/// space-padded) and variable-length, ASCII or UTF-8. Bytes are decoded as UTF-8 (invalid sequences become U+FFFD).
enum HDF5Strings {
    /// The most strings read from one object, a guard against absurd declared sizes.
    static let maximumCount = 1 << 24
    /// The most bytes of fixed-length strings read from one object.
    static let maximumBytes = 1 << 28

    /// Reads `count` strings stored as `fileType`; `read(memoryType, buffer)` performs the `H5Aread`/`H5Dread`.
    static func read(fileType: hid_t, count: Int, what: String, _ read: (hid_t, UnsafeMutableRawPointer?) -> herr_t) throws -> [String] {
        guard H5Tget_class(fileType) == H5T_STRING else { throw HDF5Error("\(what): expected strings, found \(HDF5ElementType(type: fileType, bfloat16Attribute: false))") }
        guard count > 0 else { return [] }
        guard count <= maximumCount else { throw HDF5Error("\(what): declares \(count) strings, more than this reader accepts (\(maximumCount))") }
        let memoryType = try check(H5Tcopy(chdf5_c_s1()), "\(what): cannot make a string type")
        defer { H5Tclose(memoryType) }
        // HDF5 converts neither between character sets nor, losslessly, between paddings: mirror the file's.
        let padding = H5Tget_strpad(fileType)
        try check(H5Tset_cset(memoryType, H5Tget_cset(fileType)), "\(what): unsupported character set")
        try check(H5Tset_strpad(memoryType, padding), "\(what): unsupported string padding")
        if try check(H5Tis_variable_str(fileType), "\(what): cannot read its string type") > 0 {
            try check(H5Tset_size(memoryType, chdf5_variable()), "\(what): cannot make a string type")
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            defer { for case let pointer? in pointers { H5free_memory(pointer) } }
            try check(pointers.withUnsafeMutableBytes { read(memoryType, $0.baseAddress) }, "\(what): cannot read its strings")
            return pointers.map { $0.map { String(cString: $0) } ?? "" }
        }
        let width = H5Tget_size(fileType)
        guard width > 0, width <= maximumBytes / count else {
            throw HDF5Error("\(what): \(count) strings of \(width) bytes each are more than this reader accepts (\(maximumBytes) bytes)")
        }
        try check(H5Tset_size(memoryType, width), "\(what): cannot make a string type of \(width) bytes")
        var buffer = [UInt8](repeating: 0, count: width * count)
        try check(buffer.withUnsafeMutableBytes { read(memoryType, $0.baseAddress) }, "\(what): cannot read its strings")
        return (0..<count).map { i in
            var bytes = buffer[(i * width)..<((i + 1) * width)].prefix { $0 != 0 }
            if padding == H5T_STR_SPACEPAD { while bytes.last == 0x20 { bytes.removeLast() } }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
