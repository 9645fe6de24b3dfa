/// An NPY or NPZ file that cannot be read, or an array that cannot be written as one.
public struct NPYError: Error, CustomStringConvertible, Sendable {
    /// What was expected, what was found, and where.
    public let description: String
    /// Makes an error with a complete message.
    public init(_ description: String) { self.description = description }
}
