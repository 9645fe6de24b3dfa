import CHDF5

/// A dataset in an HDF5 file: an n-dimensional array of one element type.
public final class HDF5Dataset: @unchecked Sendable {
    /// The file the dataset belongs to.
    public let file: HDF5File
    /// The absolute path.
    public let path: String
    /// The size of each axis; `[]` for a scalar.
    public let shape: [Int]
    /// The stored element type.
    public let elementType: HDF5ElementType
    let id: hid_t

    /// The largest element count read in one go (2³¹), a guard against absurd declared sizes.
    public static let maximumElementCount = 1 << 31

    init(file: HDF5File, path: String) throws {
        self.file = file
        self.path = path
        enterLibrary()
        defer { leaveLibrary() }
        id = H5Dopen2(file.id, path, chdf5_p_default())
        guard id >= 0 else { throw HDF5Error("\(file.name): cannot open dataset '\(path)'") }
        do {
            shape = try HDF5Dataspace.shape(of: H5Dget_space(id), what: "\(file.name): dataset '\(path)'")
            let type = try check(H5Dget_type(id), "\(file.name): cannot read the type of '\(path)'")
            defer { H5Tclose(type) }
            // Only 2-byte opaque data can be Keras's bfloat16; other datasets' attributes are never read.
            var isBFloat16 = false
            if H5Tget_class(type) == H5T_OPAQUE && H5Tget_size(type) == 2 {
                isBFloat16 = try HDF5Attributes(owner: file, objectID: id, what: "\(file.name): '\(path)'").string("dtype") == "bfloat16"
            }
            elementType = HDF5ElementType(type: type, bfloat16Attribute: isBFloat16)
        } catch {
            H5Dclose(id)
            throw error
        }
    }

    deinit {
        serialized { H5Dclose(id) }
    }

    /// The number of elements.
    public var count: Int { shape.reduce(1, *) }

    private func checkedCount() throws -> Int {
        guard count <= Self.maximumElementCount else {
            throw HDF5Error("\(file.name): dataset '\(path)' declares \(count) elements, more than this reader accepts")
        }
        return count
    }

    /// The elements as Float32, converting float16, float64, integers and Keras's bfloat16 on the way.
    public func readFloats() throws -> [Float] {
        return try serialized {
            let n = try checkedCount()
            try validateForReading()
            guard n > 0 else { return [] }
            switch elementType {
            case .bfloat16:
                var raw = [UInt16](repeating: 0, count: n)
                let type = H5Dget_type(id)
                defer { H5Tclose(type) }
                try check(raw.withUnsafeMutableBytes { H5Dread(id, type, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), $0.baseAddress) },
                          "\(file.name): cannot read '\(path)'")
                return raw.map { Float(bitPattern: UInt32($0) << 16) }
            case .float, .integer:
                var out = [Float](repeating: 0, count: n)
                try check(out.withUnsafeMutableBytes { H5Dread(id, chdf5_native_float(), chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), $0.baseAddress) },
                          "\(file.name): cannot read '\(path)' as float32")
                return out
            case .string, .other:
                throw HDF5Error("\(file.name): dataset '\(path)' holds \(elementType), not numbers")
            }
        }
    }

    /// The elements as Int64 (integer datasets such as an optimizer's iteration count).
    public func readInt64s() throws -> [Int64] {
        return try serialized {
            let n = try checkedCount()
            guard case .integer = elementType else {
                if case .float = elementType {
                    return try readFloats().map { v in
                        guard let i = Int64(exactly: v.rounded(.towardZero)) else { throw HDF5Error("\(file.name): dataset '\(path)' holds \(v), not an integer") }
                        return i
                    }
                }
                throw HDF5Error("\(file.name): dataset '\(path)' holds \(elementType), not integers")
            }
            try validateForReading()
            guard n > 0 else { return [] }
            var out = [Int64](repeating: 0, count: n)
            try check(out.withUnsafeMutableBytes { H5Dread(id, chdf5_native_int64(), chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), $0.baseAddress) },
                      "\(file.name): cannot read '\(path)' as int64")
            return out
        }
    }

    /// The dataset's attributes.
    public var attributes: HDF5Attributes { HDF5Attributes(owner: self, objectID: id, what: "\(file.name): '\(path)'") }
}

/// The element type of a dataset, as far as a weights reader cares.
public enum HDF5ElementType: Sendable, Equatable, CustomStringConvertible {
    case float(bits: Int)
    case integer(bits: Int, signed: Bool)
    /// Keras's bfloat16: 2-byte opaque data with a `dtype="bfloat16"` attribute.
    case bfloat16
    case string
    case other(String)

    init(type: hid_t, bfloat16Attribute: Bool) {
        let size = H5Tget_size(type) * 8
        switch H5Tget_class(type) {
        case H5T_FLOAT: self = .float(bits: size)
        case H5T_INTEGER: self = .integer(bits: size, signed: H5Tget_sign(type) != H5T_SGN_NONE)
        case H5T_STRING: self = .string
        case H5T_OPAQUE where size == 16 && bfloat16Attribute: self = .bfloat16
        default: self = .other("HDF5 type class \(H5Tget_class(type).rawValue), \(size) bits")
        }
    }

    public var description: String {
        switch self {
        case .float(let bits): return "float\(bits)"
        case .integer(let bits, let signed): return "\(signed ? "" : "u")int\(bits)"
        case .bfloat16: return "bfloat16"
        case .string: return "strings"
        case .other(let d): return d
        }
    }
}

/// Reading dataspaces.
enum HDF5Dataspace {
    /// The shape of a dataspace id (closing it), `[]` for a scalar.
    static func shape(of space: hid_t, what: String) throws -> [Int] {
        try check(space, "\(what): cannot read its dataspace")
        defer { H5Sclose(space) }
        let rank = try check(H5Sget_simple_extent_ndims(space), "\(what): unsupported dataspace")
        guard rank > 0 else { return [] }
        guard rank <= 32 else { throw HDF5Error("\(what): rank \(rank) is not supported") }
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        try check(H5Sget_simple_extent_dims(space, &dims, nil), "\(what): cannot read its dimensions")
        guard dims.allSatisfy({ $0 <= hsize_t(Int32.max) }) else { throw HDF5Error("\(what): absurd dimensions \(dims)") }
        return dims.map { Int($0) }
    }
}
