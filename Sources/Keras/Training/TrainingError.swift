/// A training call that cannot run with the data or configuration it was given.
public struct TrainingError: Error, CustomStringConvertible, Sendable {
    /// What is wrong and what was expected.
    public let description: String
    /// Makes an error with a complete message.
    public init(_ description: String) { self.description = description }
}
