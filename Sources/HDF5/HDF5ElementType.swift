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
