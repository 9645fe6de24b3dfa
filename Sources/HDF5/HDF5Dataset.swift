import CHDF5

/// A dataset in an HDF5 file: an n-dimensional array of one element type.
///
/// Every read first checks the declared size (at most `maximumElementCount` elements) and validates the dataset's
/// dataspace, element format and storage against the file, so a corrupt file throws instead of crashing.
public final class HDF5Dataset: @unchecked Sendable {
    /// The file the dataset belongs to (kept alive while the dataset is).
    public let file: HDF5File
    /// The absolute path.
    public let path: String
    /// The size of each axis; `[]` for a scalar.
    public let shape: [Int]
    /// The number of elements (1 for a scalar, 0 for a null dataspace).
    public let count: Int
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
        id = try check(H5Dopen2(file.id, path, chdf5_p_default()), "\(file.name): cannot open dataset '\(path)'")
        do {
            let extent = try HDF5Dataspace.extent(of: H5Dget_space(id), what: "\(file.name): dataset '\(path)'")
            (shape, count) = (extent.shape, extent.count)
            let type = try check(H5Dget_type(id), "\(file.name): cannot read the type of dataset '\(path)'")
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

    /// The dataset's attributes (read and write).
    public var attributes: HDF5Attributes { HDF5Attributes(owner: self, objectID: id, what: "\(file.name): '\(path)'") }

    /// The elements as Float32, in row-major order, converting float16, float64, integers and Keras's bfloat16
    /// (float16 and bfloat16 exactly as NumPy and ml_dtypes widen them, NaN payloads included).
    public func readFloats() throws -> [Float] {
        switch elementType {
        case .bfloat16:
            // bfloat16 is the top half of a float32: read the raw 2-byte values and shift them into place.
            return try read(UInt16.self, as: .fileBytes).map { Float(bitPattern: UInt32($0) << 16) }
        case .float(bits: 16):
            return try read(UInt16.self, as: .fileBytes).map(Self.float(fromHalf:))
        case .float, .integer:
            return try read(Float.self, as: .converted(chdf5_native_float()))
        case .string, .other:
            throw HDF5Error("\(file.name): dataset '\(path)' holds \(elementType), expected numbers")
        }
    }

    /// Widens IEEE half-precision bits to Float32 (exact; NaNs keep their payload and become quiet, as on x86).
    static func float(fromHalf bits: UInt16) -> Float {
        let sign: UInt32 = bits & 0x8000 == 0 ? 0 : 0x8000_0000
        let exponent = UInt32(bits >> 10) & 0x1F, mantissa = UInt32(bits & 0x3FF)
        switch exponent {
        case 0x1F: return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13 | (mantissa == 0 ? 0 : 0x40_0000))
        case 0: return Float(bitPattern: sign) + (sign == 0 ? 1 : -1) * Float(mantissa) * 0x1p-24   // zero, subnormal
        default: return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
        }
    }

    /// The elements as Int64 (e.g. an optimizer's iteration count). Floating-point values are truncated toward zero;
    /// a value that Int64 cannot hold (NaN, infinity, beyond ±2⁶³, an unsigned 64-bit value above 2⁶³ − 1) throws.
    public func readInt64s() throws -> [Int64] {
        let what = "\(file.name): dataset '\(path)'"
        func exactly<T: BinaryFloatingPoint>(_ values: [T]) throws -> [Int64] {
            try values.map { value in
                guard value.isFinite, let integer = Int64(exactly: value.rounded(.towardZero)) else {
                    throw HDF5Error("\(what) holds \(value), which is not an Int64")
                }
                return integer
            }
        }
        switch elementType {
        case .integer(bits: 64, signed: false):
            return try read(UInt64.self, as: .converted(chdf5_native_uint64())).map { value in
                guard let integer = Int64(exactly: value) else { throw HDF5Error("\(what) holds \(value), which is not an Int64") }
                return integer
            }
        case .integer:
            return try read(Int64.self, as: .converted(chdf5_native_int64()))
        case .float:
            return try exactly(read(Double.self, as: .converted(chdf5_native_double())))
        case .bfloat16:
            return try exactly(readFloats())
        case .string, .other:
            throw HDF5Error("\(what) holds \(elementType), expected integers")
        }
    }

    /// The elements as strings (fixed- or variable-length, ASCII or UTF-8), in row-major order.
    public func readStrings() throws -> [String] {
        guard elementType == .string else { throw HDF5Error("\(file.name): dataset '\(path)' holds \(elementType), expected strings") }
        return try serialized {
            try validateForReading()
            let type = try check(H5Dget_type(id), "\(file.name): cannot read the type of dataset '\(path)'")
            defer { H5Tclose(type) }
            return try HDF5Strings.read(fileType: type, count: count, what: "\(file.name): dataset '\(path)'") { memoryType, buffer in
                H5Dread(id, memoryType, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), buffer)
            }
        }
    }

    /// How `read` asks libhdf5 for the elements.
    private enum MemoryType {
        /// Converted by libhdf5 to this native type.
        case converted(hid_t)
        /// The stored bytes of each element, only put in native byte order (for formats Swift converts itself).
        case fileBytes
    }

    /// The one numeric read path: checks the size, validates the dataset, then reads every element into an array
    /// of `T`, whose size must match the memory type's.
    private func read<T: Numeric>(_: T.Type, as memoryType: MemoryType) throws -> [T] {
        return try serialized {
            let what = "\(file.name): dataset '\(path)'"
            guard count <= Self.maximumElementCount else {
                throw HDF5Error("\(what) declares \(count) elements (shape \(shape)), more than this reader accepts (\(Self.maximumElementCount))")
            }
            try validateForReading()
            guard count > 0 else { return [] }
            let type: hid_t
            switch memoryType {
            case .converted(let native): type = try check(H5Tcopy(native), "\(what): cannot make a memory type")
            case .fileBytes:
                let stored = try check(H5Dget_type(id), "\(what): cannot read its type")
                defer { H5Tclose(stored) }
                type = try check(H5Tcopy(stored), "\(what): cannot make a memory type")   // the stored type is read-only
            }
            defer { H5Tclose(type) }
            if case .fileBytes = memoryType, H5Tget_class(type) != H5T_OPAQUE {
                try check(H5Tset_order(type, H5Tget_order(chdf5_native_float())), "\(what): cannot make a memory type")
            }
            guard H5Tget_size(type) == MemoryLayout<T>.size else {
                throw HDF5Error("\(what): \(H5Tget_size(type))-byte elements cannot be read as \(T.self)")
            }
            var values = [T](repeating: 0, count: count)
            try check(values.withUnsafeMutableBytes { H5Dread(id, type, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), $0.baseAddress) },
                      "\(what): cannot read its \(elementType) values as \(T.self)")
            return values
        }
    }
}
