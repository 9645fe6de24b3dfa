import CHDF5

/// The element type of a dataset, as far as a weights reader cares.
public enum HDF5ElementType: Sendable, Equatable, CustomStringConvertible {
    /// IEEE floating point of 16, 32 or 64 bits.
    case float(bits: Int)
    /// A two's-complement (signed) or unsigned integer of 8, 16, 32 or 64 bits.
    case integer(bits: Int, signed: Bool)
    /// Keras's bfloat16: 2-byte opaque data with a `dtype="bfloat16"` attribute on the dataset.
    case bfloat16
    /// Strings, fixed- or variable-length.
    case string
    /// Anything else, described.
    case other(String)

    /// Classifies the HDF5 datatype `type`; `bfloat16Attribute` says whether the dataset is marked as bfloat16.
    init(type: hid_t, bfloat16Attribute: Bool) {
        let bits = H5Tget_size(type) * 8
        switch H5Tget_class(type) {
        case H5T_FLOAT: self = .float(bits: bits)
        case H5T_INTEGER: self = .integer(bits: bits, signed: H5Tget_sign(type) != H5T_SGN_NONE)
        case H5T_STRING: self = .string
        case H5T_OPAQUE where bits == 16 && bfloat16Attribute: self = .bfloat16
        case let typeClass: self = .other("HDF5 type class \(typeClass.rawValue) of \(bits) bits")
        }
    }

    /// NumPy's name for the type (`float32`, `uint8`, `bfloat16`), `strings`, or a description.
    public var description: String {
        switch self {
        case .float(let bits): return "float\(bits)"
        case .integer(let bits, let signed): return "\(signed ? "" : "u")int\(bits)"
        case .bfloat16: return "bfloat16"
        case .string: return "strings"
        case .other(let description): return description
        }
    }
}

/// Reading dataspaces.
enum HDF5Dataspace {
    /// The shape of the dataspace `space` (`[]` for a scalar) and its element count, checked against overflow.
    /// A null dataspace (h5py's `Empty`) has shape `[]` and no elements. Closes `space`.
    static func extent(of space: hid_t, what: String) throws -> (shape: [Int], count: Int) {
        try check(space, "\(what): cannot read its dataspace")
        defer { H5Sclose(space) }
        if H5Sget_simple_extent_type(space) == H5S_NULL { return ([], 0) }
        let rank = try check(H5Sget_simple_extent_ndims(space), "\(what): unsupported dataspace")
        guard rank <= 32 else { throw HDF5Error("\(what): rank \(rank) is not supported (at most 32)") }
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        if rank > 0 { try check(H5Sget_simple_extent_dims(space, &dims, nil), "\(what): cannot read its dimensions") }
        var count = 1
        for dim in dims {
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(clamping: dim))
            guard dim <= hsize_t(Int32.max), !overflow else { throw HDF5Error("\(what): absurd dimensions \(dims)") }
            count = product
        }
        return (dims.map { Int($0) }, count)
    }
}
