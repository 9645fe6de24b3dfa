/// A tensor or layer received a shape it cannot work with.
public struct ShapeError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What was expected, what was found, and where.
    public let description: String

    /// Makes an error with a complete message.
    public init(_ description: String) { self.description = description }
}
