import Foundation

/// An array read from a NumPy `.npy` file: its shape, element type and little-endian bytes.
public struct NPYArray: Sendable {
    /// NumPy element types this package reads (little-endian or single-byte).
    public enum DType: String, Sendable, CaseIterable {
        /// Half precision (`<f2`).
        case float16 = "<f2"
        /// Single precision (`<f4`), what tensors hold.
        case float32 = "<f4"
        /// Double precision (`<f8`).
        case float64 = "<f8"
        /// Signed 8-bit integers (`|i1`).
        case int8 = "|i1"
        /// Signed 16-bit integers (`<i2`).
        case int16 = "<i2"
        /// Signed 32-bit integers (`<i4`).
        case int32 = "<i4"
        /// Signed 64-bit integers (`<i8`).
        case int64 = "<i8"
        /// Unsigned 8-bit integers (`|u1`), as MNIST's images.
        case uint8 = "|u1"
        /// Unsigned 16-bit integers (`<u2`).
        case uint16 = "<u2"
        /// Unsigned 32-bit integers (`<u4`).
        case uint32 = "<u4"
        /// Unsigned 64-bit integers (`<u8`).
        case uint64 = "<u8"
        /// Booleans, one byte each (`|b1`).
        case bool = "|b1"

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .int8, .uint8, .bool: return 1
            case .float16, .int16, .uint16: return 2
            case .float32, .int32, .uint32: return 4
            case .float64, .int64, .uint64: return 8
            }
        }

        /// Whether the type holds integers (class ids, token ids).
        public var isInteger: Bool { ![.float16, .float32, .float64].contains(self) }
    }

    /// The size of each axis (`[]` for a scalar).
    public let shape: [Int]
    /// The element type.
    public let dtype: DType
    /// The elements' bytes, row-major, little-endian.
    public let data: [UInt8]

    /// The number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// The elements converted to Float32.
    public func floats() -> [Float] {
        data.withUnsafeBytes { raw in
            (0..<count).map { i in
                let o = i * dtype.size
                switch dtype {
                case .float16: return Float(Float16(bitPattern: raw.loadUnaligned(fromByteOffset: o, as: UInt16.self).littleEndian))
                case .float32: return Float(bitPattern: raw.loadUnaligned(fromByteOffset: o, as: UInt32.self).littleEndian)
                case .float64: return Float(Double(bitPattern: raw.loadUnaligned(fromByteOffset: o, as: UInt64.self).littleEndian))
                case .int8: return Float(raw.loadUnaligned(fromByteOffset: o, as: Int8.self))
                case .int16: return Float(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: Int16.self)))
                case .int32: return Float(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: Int32.self)))
                case .int64: return Float(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: Int64.self)))
                case .uint8, .bool: return Float(raw.loadUnaligned(fromByteOffset: o, as: UInt8.self))
                case .uint16: return Float(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt16.self)))
                case .uint32: return Float(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt32.self)))
                case .uint64: return Float(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt64.self)))
                }
            }
        }
    }

    /// An array from its raw little-endian bytes; `data.count` must be `shape` × `dtype.size`.
    public init(shape: [Int], dtype: DType, data: [UInt8]) {
        self.shape = shape
        self.dtype = dtype
        self.data = data
    }

    /// An array from data as a `.npy` file or a pickled NumPy array stores it: `descr` in any byte order (`<f4`,
    /// `>f4`, `=f4`, `|u1`) and C or Fortran order. Big-endian and Fortran-order data are converted here, once, to
    /// the little-endian C-order layout the rest of the package reads.
    init(shape: [Int], descr: String, fortranOrder: Bool, stored: ArraySlice<UInt8>, name: String) throws {
        let order = descr.first ?? "|"
        let code = descr.dropFirst()
        guard "<>=|".contains(order), let dtype = DType(rawValue: "<" + code) ?? DType(rawValue: "|" + code),
              order != "|" || dtype.size == 1 else {
            throw NPYError("\(name): unsupported dtype '\(descr)'; supported: float16/32/64, int8/16/32/64, uint8/16/32/64, bool, in either byte order")
        }
        let count = try NPY.elementCount(shape, name: name)
        guard stored.count == count * dtype.size else {
            throw NPYError("\(name): expected \(count * dtype.size) bytes of data for shape \(shape) \(descr), found \(stored.count)")
        }
        var data = Array(stored)
        if order == ">" && dtype.size > 1 { Self.swapBytes(&data, elementSize: dtype.size) }
        if fortranOrder && shape.filter({ $0 > 1 }).count > 1 { data = Self.cOrder(fromFortran: data, shape: shape, elementSize: dtype.size) }
        self.init(shape: shape, dtype: dtype, data: data)
    }

    /// Reverses the bytes of every `elementSize`-byte element (big-endian to little-endian).
    private static func swapBytes(_ data: inout [UInt8], elementSize: Int) {
        data.withUnsafeMutableBufferPointer { buffer in
            for start in stride(from: 0, to: buffer.count, by: elementSize) {
                var (i, j) = (start, start + elementSize - 1)
                while i < j { buffer.swapAt(i, j); i += 1; j -= 1 }
            }
        }
    }

    /// The elements of Fortran-order (first axis fastest) `data` rearranged into C order (last axis fastest).
    private static func cOrder(fromFortran data: [UInt8], shape: [Int], elementSize: Int) -> [UInt8] {
        // The Fortran stride of each axis, in elements; then walk the C-order positions with a running index.
        var strides = [Int](repeating: 1, count: shape.count)
        for k in shape.indices.dropFirst() { strides[k] = strides[k - 1] * shape[k - 1] }
        var out = [UInt8](repeating: 0, count: data.count)
        var index = [Int](repeating: 0, count: shape.count)
        var source = 0
        for target in stride(from: 0, to: data.count, by: elementSize) {
            for b in 0..<elementSize { out[target + b] = data[source * elementSize + b] }
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                source += strides[axis]
                if index[axis] < shape[axis] { break }
                source -= strides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return out
    }

    /// An array of `dtype` holding `values` (converted, with rounding toward zero for integer types).
    public init(shape: [Int], dtype: DType, values: [Float]) throws {
        guard shape.reduce(1, *) == values.count else { throw NPYError("shape \(shape) needs \(shape.reduce(1, *)) values, got \(values.count)") }
        var data: [UInt8] = []
        data.reserveCapacity(values.count * dtype.size)
        func append<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { data += $0 } }
        for v in values {
            switch dtype {
            case .float16: append(Float16(v).bitPattern)
            case .float32: append(v.bitPattern)
            case .float64: append(Double(v).bitPattern)
            case .int8: append(Int8(clamping: Int(exactly: v.rounded(.towardZero)) ?? 0))
            case .int16: append(Int16(clamping: Int(exactly: v.rounded(.towardZero)) ?? 0))
            case .int32: append(Int32(clamping: Int(exactly: v.rounded(.towardZero)) ?? 0))
            case .int64: append(Int64(exactly: v.rounded(.towardZero)) ?? 0)
            case .uint8, .bool: append(UInt8(clamping: Int(exactly: v.rounded(.towardZero)) ?? 0))
            case .uint16: append(UInt16(clamping: Int(exactly: v.rounded(.towardZero)) ?? 0))
            case .uint32: append(UInt32(clamping: Int(exactly: v.rounded(.towardZero)) ?? 0))
            case .uint64: append(UInt64(exactly: max(0, v.rounded(.towardZero))) ?? 0)
            }
        }
        self.init(shape: shape, dtype: dtype, data: data)
    }

    /// The array as a tensor (converted to Float32).
    public func tensor() -> Tensor { Tensor(shape: shape, scalars: floats()) }
}
