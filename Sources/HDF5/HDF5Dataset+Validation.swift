import CHDF5

/// Checks made before any read: libhdf5 1.10 trusts a file's metadata, and a corrupt file (a truncated download,
/// a flipped bit) can make `H5Dread` copy out of bounds and crash the process. Every dataset read first proves
/// that the dataspace, the element type and the storage are consistent and lie inside the file.
extension HDF5Dataset {
    /// Throws unless the dataset's dataspace, element format and storage are consistent with each other and the file.
    func validateForReading() throws {
        let what = "\(file.name): dataset '\(path)'"
        let space = try check(H5Dget_space(id), "\(what): cannot read its dataspace")
        defer { H5Sclose(space) }
        let spaceClass = H5Sget_simple_extent_type(space)
        guard spaceClass == H5S_SIMPLE || spaceClass == H5S_SCALAR else { throw HDF5Error("\(what) has no data (null dataspace)") }
        guard H5Sget_simple_extent_npoints(space) == count else {
            throw HDF5Error("\(what): its dataspace does not hold the \(count) elements its shape \(shape) declares")
        }
        let type = try check(H5Dget_type(id), "\(what): cannot read its type")
        defer { H5Tclose(type) }
        let elementBytes = try storedElementSize(type, what: what)
        guard count > 0 else { return }

        var fileSize: hsize_t = 0
        try check(H5Fget_filesize(file.id, &fileSize), "\(what): cannot size the file")
        let expected = hsize_t(count) * hsize_t(elementBytes)
        let byteCount = UInt(expected)
        let plist = try check(H5Dget_create_plist(id), "\(what): cannot read its storage layout")
        defer { H5Pclose(plist) }
        switch H5Pget_layout(plist) {
        case H5D_CONTIGUOUS:
            let offset = H5Dget_offset(id)
            let (end, overflow) = offset.addingReportingOverflow(byteCount)
            guard offset != chdf5_haddr_undef(), H5Dget_storage_size(id) == expected, !overflow, end <= UInt(fileSize) else {
                throw HDF5Error("\(what): its data (\(expected) bytes) does not lie inside the file (\(fileSize) bytes): the file is truncated or corrupt")
            }
        case H5D_COMPACT:
            guard H5Dget_storage_size(id) == expected else { throw HDF5Error("\(what): its compact storage does not hold \(expected) bytes") }
        case H5D_CHUNKED:
            var chunks: hsize_t = 0
            try check(H5Dget_num_chunks(id, space, &chunks), "\(what): cannot count its chunks")
            guard chunks <= hsize_t(count) else { throw HDF5Error("\(what): declares \(chunks) chunks for \(count) elements") }
            var coordinates = [hsize_t](repeating: 0, count: max(shape.count, 1))
            for i in 0..<chunks {
                var filterMask: UInt32 = 0, address: haddr_t = 0, size: hsize_t = 0
                try check(H5Dget_chunk_info(id, space, i, &coordinates, &filterMask, &address, &size), "\(what): cannot read chunk \(i)")
                let (end, overflow) = address.addingReportingOverflow(UInt(size))
                guard !overflow, end <= UInt(fileSize) else { throw HDF5Error("\(what): chunk \(i) lies outside the file: the file is truncated or corrupt") }
            }
        default:
            throw HDF5Error("\(what): its storage layout (virtual or external) is not supported")
        }
    }

    /// The bytes one element occupies in the file. Accepts the IEEE float formats (half, single, double), plain
    /// integers, Keras's bfloat16 and strings; anything else in a weights file is corruption, and libhdf5's soft
    /// conversion of exotic layouts is not trusted with it.
    private func storedElementSize(_ type: hid_t, what: String) throws -> Int {
        let size = H5Tget_size(type)
        switch H5Tget_class(type) {
        case H5T_STRING where try check(H5Tis_variable_str(type), "\(what): cannot read its string type") > 0:
            // A variable-length element is stored as a length (4 bytes) and a global heap id (an address and 4 bytes).
            let fcpl = try check(H5Fget_create_plist(file.id), "\(what): cannot read the file's address size")
            defer { H5Pclose(fcpl) }
            var addressSize = 0, lengthSize = 0
            try check(H5Pget_sizes(fcpl, &addressSize, &lengthSize), "\(what): cannot read the file's address size")
            return 4 + addressSize + 4
        case H5T_STRING:
            return size
        case H5T_FLOAT:
            var (spos, epos, esize, mpos, msize) = (0, 0, 0, 0, 0)
            H5Tget_fields(type, &spos, &epos, &esize, &mpos, &msize)
            let fields = [spos, epos, esize, mpos, msize]
            let standard: [Int: [Int]] = [2: [15, 10, 5, 0, 10], 4: [31, 23, 8, 0, 23], 8: [63, 52, 11, 0, 52]]
            guard standard[size] == fields, H5Tget_offset(type) == 0, H5Tget_precision(type) == size * 8 else {
                throw HDF5Error("\(what): unsupported floating-point format (\(size) bytes, fields \(fields))")
            }
        case H5T_INTEGER:
            guard [1, 2, 4, 8].contains(size), H5Tget_offset(type) == 0, H5Tget_precision(type) == size * 8 else {
                throw HDF5Error("\(what): unsupported integer format (\(size) bytes)")
            }
        case H5T_OPAQUE where elementType == .bfloat16 && size == 2:
            break
        default:
            throw HDF5Error("\(what) holds \(elementType), which this reader does not read")
        }
        return size
    }
}
