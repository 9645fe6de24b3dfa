/// Turning stored elements (the raw bytes of a dataset or attribute, often a slice of the file itself) into Swift values: the conversions NumPy makes
/// (float16 and bfloat16 widened exactly, float64 rounded to nearest, integers converted), and strings.
struct ElementDecoding {
    /// The most bytes of variable-length strings read from one dataset or attribute (256 MiB).
    static let maximumStringBytes = 1 << 28

    let type: Datatype
    let image: FileImage
    /// The object, for messages (`dataset '/x'`, `'/': attribute 'name'`); errors add the file's name.
    let what: String

    /// Element `i` of `raw` as an unsigned integer in native order (types of at most 8 bytes).
    private func bits(_ raw: UnsafeRawBufferPointer, _ i: Int, size: Int, bigEndian: Bool) -> UInt64 {
        var value: UInt64 = 0
        let start = i * size
        if bigEndian {
            for k in 0..<size { value = value << 8 | UInt64(raw[start + k]) }
        } else {
            for k in stride(from: size - 1, through: 0, by: -1) { value = value << 8 | UInt64(raw[start + k]) }
        }
        return value
    }

    /// The elements as Float32; `bfloat16` says the 2-byte opaque type is Keras's bfloat16.
    func floats(_ raw: ArraySlice<UInt8>, bfloat16: Bool) throws -> [Float] {
        let count = raw.count / max(type.size, 1)
        return try raw.withUnsafeBytes { raw in
            switch type {
            case .float(4, false):
                // The common case, little-endian float32 on a little-endian machine: one copy.
                return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                    if count > 0 { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[0..<(count * 4)])) }
                    initialized = count
                }
            case .float(let size, let bigEndian):
                return (0..<count).map { i -> Float in
                    let value = bits(raw, i, size: size, bigEndian: bigEndian)
                    switch size {
                    case 2: return Self.float(fromHalf: UInt16(value))
                    case 4: return Float(bitPattern: UInt32(value))
                    default: return Float(Double(bitPattern: value))
                    }
                }
            case .integer(let size, let signed, let bigEndian):
                return (0..<count).map { i in
                    let value = bits(raw, i, size: size, bigEndian: bigEndian)
                    return signed ? Float(Self.signExtend(value, size: size)) : Float(value)
                }
            case .opaque(2) where bfloat16:
                // bfloat16 is the top half of a float32.
                return (0..<count).map { Float(bitPattern: UInt32(bits(raw, $0, size: 2, bigEndian: false)) << 16) }
            default:
                throw HDF5Error("\(image.name): \(what) holds \(type.elementType(bfloat16: bfloat16)), expected numbers")
            }
        }
    }

    /// The elements as Float64 (attributes' numbers); integers beyond ±2⁵³ are rounded.
    func doubles(_ raw: ArraySlice<UInt8>) throws -> [Double] {
        let count = raw.count / max(type.size, 1)
        return try raw.withUnsafeBytes { raw in
            switch type {
            case .float(let size, let bigEndian):
                return (0..<count).map { i -> Double in
                    let value = bits(raw, i, size: size, bigEndian: bigEndian)
                    switch size {
                    case 2: return Double(Self.float(fromHalf: UInt16(value)))
                    case 4: return Double(Float(bitPattern: UInt32(value)))
                    default: return Double(bitPattern: value)
                    }
                }
            case .integer(let size, let signed, let bigEndian):
                return (0..<count).map { i in
                    let value = bits(raw, i, size: size, bigEndian: bigEndian)
                    return signed ? Double(Self.signExtend(value, size: size)) : Double(value)
                }
            default:
                throw HDF5Error("\(image.name): \(what): expected numbers, found \(type.elementType(bfloat16: false))")
            }
        }
    }

    /// The elements as Int64: integers as they are, floats truncated toward zero; a value Int64 cannot hold throws.
    func int64s(_ raw: ArraySlice<UInt8>, bfloat16: Bool) throws -> [Int64] {
        func exactly<T: BinaryFloatingPoint>(_ values: [T]) throws -> [Int64] {
            try values.map { value in
                guard value.isFinite, let integer = Int64(exactly: value.rounded(.towardZero)) else {
                    throw HDF5Error("\(image.name): \(what) holds \(value), which is not an Int64")
                }
                return integer
            }
        }
        switch type {
        case .integer(let size, let signed, let bigEndian):
            let count = raw.count / size
            return try raw.withUnsafeBytes { raw in
                try (0..<count).map { i in
                    let value = bits(raw, i, size: size, bigEndian: bigEndian)
                    if signed { return Self.signExtend(value, size: size) }
                    guard let integer = Int64(exactly: value) else { throw HDF5Error("\(image.name): \(what) holds \(value), which is not an Int64") }
                    return integer
                }
            }
        case .float(8, _):
            return try exactly(doubles(raw))
        case .float:
            return try exactly(floats(raw, bfloat16: false))
        case .opaque(2) where bfloat16:
            return try exactly(floats(raw, bfloat16: true))
        default:
            throw HDF5Error("\(image.name): \(what) holds \(type.elementType(bfloat16: bfloat16)), expected integers")
        }
    }

    /// The elements as strings: fixed-length ones up to their first NUL (space-padded ones without trailing spaces),
    /// variable-length ones from the global heap. Bytes are decoded as UTF-8 (invalid sequences become U+FFFD).
    func strings(_ raw: ArraySlice<UInt8>) throws -> [String] {
        switch type {
        case .fixedString(let size, let spacePadded):
            return stride(from: raw.startIndex, to: raw.endIndex, by: size).map { start in
                var bytes = raw[start..<(start + size)].prefix { $0 != 0 }
                if spacePadded { while bytes.last == 0x20 { bytes.removeLast() } }
                return String(decoding: bytes, as: UTF8.self)
            }
        case .variableString(let size):
            var heap = GlobalHeap(image: image)
            var total = 0
            return try stride(from: raw.startIndex, to: raw.endIndex, by: size).map { start in
                let (length, address, index) = Self.reference(raw[start..<(start + size)], image: image)
                guard length > 0 else { return "" }
                // Many references to one large heap object would multiply it: the text read is capped.
                total += length
                guard total <= Self.maximumStringBytes else {
                    throw HDF5Error("\(image.name): \(what) holds more than \(Self.maximumStringBytes) bytes of strings, more than this reader accepts")
                }
                guard let address else { throw image.corrupt("\(what) refers to a string without an address") }
                let object = try heap.object(at: address, index: index, what: what)
                guard length <= object.count else {
                    throw image.corrupt("\(what) refers to \(length) bytes of global heap object \(index) at address \(address), which holds \(object.count)")
                }
                return String(decoding: image.bytes[object.prefix(length)].prefix { $0 != 0 }, as: UTF8.self)
            }
        default:
            throw HDF5Error("\(image.name): \(what): expected strings, found \(type.elementType(bfloat16: false))")
        }
    }

    /// A variable-length element: its length, the address of its global heap collection and its object index.
    private static func reference(_ bytes: ArraySlice<UInt8>, image: FileImage) -> (Int, UInt64?, Int) {
        func field(_ at: Int, _ size: Int) -> UInt64 {
            (0..<size).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64(bytes[bytes.startIndex + at + $1]) }
        }
        let address = field(4, image.offsetSize)
        return (Int(field(0, 4)), address == image.undefinedAddress ? nil : address, Int(field(4 + image.offsetSize, 4)))
    }

    /// Sign-extends the low `size` bytes of `value`.
    static func signExtend(_ value: UInt64, size: Int) -> Int64 {
        let shift = UInt64(64 - size * 8)
        return Int64(bitPattern: value << shift) >> Int64(shift)
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
}

/// The global heap collections of a file (where variable-length strings live), parsed on first use.
struct GlobalHeap {
    let image: FileImage
    /// Collection address → object index → the object's bytes in the file.
    private var collections: [UInt64: [Int: Range<Int>]] = [:]

    init(image: FileImage) { self.image = image }

    /// The bytes of object `index` of the collection at `address`.
    mutating func object(at address: UInt64, index: Int, what: String) throws -> Range<Int> {
        if collections[address] == nil { collections[address] = try parse(address) }
        guard let object = collections[address]?[index] else {
            throw image.corrupt("\(what) refers to global heap object \(index) at address \(address), which does not exist")
        }
        return object
    }

    /// A collection: `GCOL`, version 1, its size, then objects (index, reference count, size, data padded to 8 bytes)
    /// up to a free-space object (index 0) or the end.
    private func parse(_ address: UInt64) throws -> [Int: Range<Int>] {
        var header = try image.cursor(at: address, "a global heap collection")
        try header.expect(signature: "GCOL")
        guard try header.u8() == 1 else { throw image.corrupt("the global heap collection at address \(address) has an unknown version") }
        try header.skip(3)
        let size = try header.length()
        var cursor = try image.cursor(at: address, length: UInt64(size), "the global heap collection at address \(address)")
        try cursor.skip(8 + image.lengthSize)
        var objects: [Int: Range<Int>] = [:]
        while cursor.remaining >= 8 + image.lengthSize {
            let index = try cursor.u16()
            try cursor.skip(6)
            let objectSize = try cursor.length()
            if index == 0 { break }
            guard objectSize <= cursor.remaining else {
                throw image.corrupt("global heap object \(index) at address \(address) declares \(objectSize) bytes, beyond its collection")
            }
            objects[index] = try cursor.take(objectSize)
            try cursor.skip(min(cursor.remaining, (8 - objectSize % 8) % 8))
        }
        return objects
    }
}
