import CHDF5

/// A failure reported by the HDF5 library, or HDF5 content that is not what was asked for.
public struct HDF5Error: Error, CustomStringConvertible, Sendable {
    /// What failed and where (file and object path).
    public let description: String

    /// Makes an error with a complete message.
    public init(_ description: String) { self.description = description }
}

/// The one place where HDF5's negative return codes become thrown errors.
@discardableResult
func check<T: BinaryInteger>(_ result: T, _ what: @autoclosure () -> String) throws -> T {
    guard result >= 0 else { throw HDF5Error(what()) }
    return result
}

/// Silences HDF5's error printer once, before the first call into the library.
let silenceHDF5: Void = { chdf5_silence_errors() }()
