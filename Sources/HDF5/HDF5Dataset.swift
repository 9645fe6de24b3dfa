/// A dataset in an HDF5 file: an n-dimensional array of one element type.
///
/// Opening one reads its shape and element type; a read checks the declared size (at most `maximumElementCount`
/// elements) and the storage against the file before allocating anything.
public final class HDF5Dataset: Sendable {
    /// The file the dataset belongs to.
    public let file: HDF5File
    /// The absolute path.
    public let path: String
    /// The size of each axis; `[]` for a scalar.
    public let shape: [Int]
    /// The number of elements (1 for a scalar, 0 for a null dataspace).
    public let count: Int
    /// The stored element type.
    public let elementType: HDF5ElementType
    let header: ObjectHeader
    let type: Datatype

    /// The largest element count read in one go (2³¹), a guard against absurd declared sizes.
    public static let maximumElementCount = 1 << 31

    init(file: HDF5File, path: String, header: ObjectHeader) throws {
        (self.file, self.path, self.header) = (file, path, header)
        let image = file.image, what = "dataset '\(path)'"
        guard let space = header.message(.dataspace), let datatype = header.message(.datatype) else {
            throw image.corrupt("\(what) has no dataspace or no datatype")
        }
        guard !space.isShared, !datatype.isShared else { throw image.unsupported("\(what) uses a shared (committed) datatype or dataspace") }
        var spaceCursor = header.cursor(space, in: image, "the dataspace of \(what)")
        var typeCursor = header.cursor(datatype, in: image, "the datatype of \(what)")
        let extent = try Dataspace(&spaceCursor)
        (shape, count) = (extent.shape, extent.count)
        type = try Datatype(&typeCursor)
        // Only 2-byte opaque data can be Keras's bfloat16; other datasets' attributes are never read.
        let marked = type == .opaque(size: 2)
            && (try? HDF5Attributes(file: file, header: header, what: "'\(path)'").string("dtype")) == "bfloat16"
        elementType = type.elementType(bfloat16: marked)
    }

    /// The dataset's attributes.
    public var attributes: HDF5Attributes { HDF5Attributes(file: file, header: header, what: "'\(path)'") }

    private var what: String { "\(file.name): dataset '\(path)'" }

    private var decoding: ElementDecoding { ElementDecoding(type: type, image: file.image, what: "dataset '\(path)'") }

    /// The elements as Float32, in row-major order, converting float16, float64, integers and Keras's bfloat16
    /// (float16 and bfloat16 exactly as NumPy and ml_dtypes widen them, NaN payloads included).
    public func readFloats() throws -> [Float] {
        try expectNumbers("numbers")
        return try decoding.floats(try raw(), bfloat16: elementType == .bfloat16)
    }

    /// The elements as Int64 (e.g. an optimizer's iteration count). Floating-point values are truncated toward zero;
    /// a value that Int64 cannot hold (NaN, infinity, beyond ±2⁶³, an unsigned 64-bit value above 2⁶³ − 1) throws.
    public func readInt64s() throws -> [Int64] {
        try expectNumbers("integers")
        return try decoding.int64s(try raw(), bfloat16: elementType == .bfloat16)
    }

    /// The elements as strings (fixed- or variable-length, ASCII or UTF-8), in row-major order.
    public func readStrings() throws -> [String] {
        guard elementType == .string else { throw HDF5Error("\(what) holds \(elementType), expected strings") }
        return try decoding.strings(try raw())
    }

    private func expectNumbers(_ expected: String) throws {
        switch elementType {
        case .float, .integer, .bfloat16: return
        case .string, .other: throw HDF5Error("\(what) holds \(elementType), expected \(expected)")
        }
    }

    /// The stored bytes of every element, after the size checks.
    private func raw() throws -> ArraySlice<UInt8> {
        guard count <= Self.maximumElementCount else {
            throw HDF5Error("\(what) declares \(count) elements (shape \(shape)), more than this reader accepts (\(Self.maximumElementCount))")
        }
        let storage = try DatasetStorage(header: header, image: file.image, what: "dataset '\(path)'")
        return try storage.read(shape: shape, count: count, elementSize: type.size, image: file.image, what: "dataset '\(path)'")
    }
}
