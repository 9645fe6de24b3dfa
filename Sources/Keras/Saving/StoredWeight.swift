import HDF5

/// One stored variable in a weights file, whatever the container: an HDF5 dataset or a NumPy array.
protocol StoredWeight {
    /// The stored shape.
    var shape: [Int] { get }
    /// The stored element type (`float32`, `float16`, `bfloat16` …).
    var storedType: String { get }
    /// The values as float32.
    func readFloats() throws -> [Float]
    /// The values as integers (the optimizer's iteration count).
    func readInt64s() throws -> [Int64]
}

extension HDF5Dataset: StoredWeight {
    var storedType: String { "\(elementType)" }
}

extension NPYArray: StoredWeight {
    var storedType: String {
        switch dtype {
        case .float16: return "float16"
        case .float32: return "float32"
        case .float64: return "float64"
        default: return "\(dtype)"
        }
    }
    func readFloats() throws -> [Float] { floats() }
    func readInt64s() throws -> [Int64] {
        try floats().map { v in
            guard let i = Int64(exactly: v.rounded(.towardZero)) else { throw NPYError("value \(v) is not an integer count") }
            return i
        }
    }
}
