/// A datatype message (HDF5 file format §IV.A.2.d), reduced to what a weights reader handles: IEEE floats, plain
/// integers, fixed- and variable-length strings and opaque data (Keras's bfloat16); anything else is `unsupported`
/// and refused when read.
enum Datatype: Equatable {
    /// An IEEE float of 2, 4 or 8 bytes.
    case float(size: Int, bigEndian: Bool)
    /// A two's-complement or unsigned integer of 1, 2, 4 or 8 bytes.
    case integer(size: Int, signed: Bool, bigEndian: Bool)
    /// Fixed-length strings of `size` bytes; `spacePadded` for Fortran-style padding (else NUL-padded/terminated).
    case fixedString(size: Int, spacePadded: Bool)
    /// Variable-length strings: each element is a length and a global heap id (`size` bytes).
    case variableString(size: Int)
    /// Opaque bytes.
    case opaque(size: Int)
    /// Any other class or layout, described.
    case unsupported(typeClass: Int, size: Int)

    /// The bytes one element occupies in a dataset or attribute.
    var size: Int {
        switch self {
        case .float(let size, _), .integer(let size, _, _), .fixedString(let size, _), .variableString(let size),
             .opaque(let size), .unsupported(_, let size):
            return size
        }
    }

    /// Reads a datatype message from `cursor`.
    init(_ cursor: inout Cursor, depth: Int = 0) throws {
        let image = cursor.image
        let classAndVersion = try cursor.u8()
        let typeClass = Int(classAndVersion & 0x0F)
        let bits = try cursor.uint(3)
        let size = try cursor.u32()
        guard size > 0, size <= 1 << 20 else { throw image.corrupt("\(cursor.context) declares \(size)-byte elements") }
        let bigEndian = bits & 0x01 != 0
        switch typeClass {
        case 0:   // fixed-point
            let offset = try cursor.u16(), precision = try cursor.u16()
            let plain = [1, 2, 4, 8].contains(size) && offset == 0 && precision == size * 8
            self = plain ? .integer(size: size, signed: bits & 0x08 != 0, bigEndian: bigEndian) : .unsupported(typeClass: 0, size: size)
        case 1:   // floating-point: only the IEEE layouts of NumPy's float16, float32 and float64
            let offset = try cursor.u16(), precision = try cursor.u16()
            let fields = [Int(try cursor.u8()), Int(try cursor.u8()), Int(try cursor.u8()), Int(try cursor.u8())]
            let bias = try cursor.u32()
            let ieee: [Int: ([Int], Int)] = [2: ([10, 5, 0, 10], 15), 4: ([23, 8, 0, 23], 127), 8: ([52, 11, 0, 52], 1023)]
            let signLocation = Int((bits >> 8) & 0xFF), normalization = (bits >> 4) & 0x03, vax = bits & 0x40 != 0
            if let (layout, standardBias) = ieee[size], layout == fields, bias == standardBias, offset == 0, precision == size * 8,
               signLocation == size * 8 - 1, normalization == 2, !vax {
                self = .float(size: size, bigEndian: bigEndian)
            } else {
                self = .unsupported(typeClass: 1, size: size)
            }
        case 3:   // string
            self = .fixedString(size: size, spacePadded: bits & 0x0F == 2)
        case 5:   // opaque
            self = .opaque(size: size)
        case 9 where bits & 0x0F == 1:   // variable-length string; its base type is the character type
            guard depth < 4 else { throw image.corrupt("\(cursor.context) nests variable-length types too deeply") }
            let base = try Datatype(&cursor, depth: depth + 1)
            guard base.size == 1 else { throw image.corrupt("\(cursor.context) declares \(base.size)-byte characters for a string, not 1") }
            guard size == 8 + image.offsetSize else { throw image.corrupt("\(cursor.context) declares \(size)-byte string references, not \(8 + image.offsetSize)") }
            self = .variableString(size: size)
        default:
            self = .unsupported(typeClass: typeClass, size: size)
        }
    }

    /// The public description: `bfloat16` when the dataset marks 2-byte opaque data so.
    func elementType(bfloat16: Bool) -> HDF5ElementType {
        switch self {
        case .float(let size, _): return .float(bits: size * 8)
        case .integer(let size, let signed, _): return .integer(bits: size * 8, signed: signed)
        case .fixedString, .variableString: return .string
        case .opaque(2) where bfloat16: return .bfloat16
        case .opaque(let size): return .other("HDF5 type class 5 of \(size * 8) bits")
        case .unsupported(let typeClass, let size): return .other("HDF5 type class \(typeClass) of \(size * 8) bits")
        }
    }
}

/// A dataspace message: the shape of a dataset or attribute.
struct Dataspace {
    /// The size of each axis; `[]` for a scalar or a null dataspace.
    let shape: [Int]
    /// The element count: 1 for a scalar, 0 for a null dataspace (h5py's `Empty`).
    let count: Int

    init(_ cursor: inout Cursor) throws {
        let image = cursor.image
        let version = try cursor.u8()
        let rank = Int(try cursor.u8())
        _ = try cursor.u8()   // flags
        var isNull = false
        switch version {
        case 1: try cursor.skip(5)
        case 2: isNull = try cursor.u8() == 2
        default: throw image.corrupt("\(cursor.context) has an unknown dataspace version \(version)")
        }
        guard rank <= 32 else { throw image.corrupt("\(cursor.context) declares rank \(rank) (at most 32)") }
        var shape: [Int] = [], count = 1
        for _ in 0..<rank {
            let size = try cursor.uint(image.lengthSize)
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(clamping: size))
            guard size <= UInt64(Int32.max), !overflow else { throw image.corrupt("\(cursor.context) declares absurd dimensions") }
            shape.append(Int(size))
            count = product
        }
        (self.shape, self.count) = isNull ? ([], 0) : (shape, count)
    }
}
