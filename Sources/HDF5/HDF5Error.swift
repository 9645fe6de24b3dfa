import Foundation

/// A failure reported by the HDF5 library, or HDF5 content that is not what was asked for.
///
/// The message says what failed, where (the file's name and the object's path inside it) and, when it helps, what was
/// expected and what was found, e.g. `cut.h5 is not a readable HDF5 file (truncated or corrupt): the object header at
/// address 800 lies beyond the end of the file (700 bytes)`. When libhdf5 refuses a write, its innermost reason is
/// appended in parentheses.
public struct HDF5Error: Error, CustomStringConvertible, LocalizedError, Sendable {
    /// The complete message.
    public let description: String

    /// Makes an error with a complete message.
    public init(_ description: String) { self.description = description }

    /// The message, for `localizedDescription`.
    public var errorDescription: String? { description }
}
