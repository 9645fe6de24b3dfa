/// A `.keras` archive (or model folder) that cannot be read.
public struct ArchiveError: Error, CustomStringConvertible, Sendable {
    /// What is wrong, naming the file and entry.
    public let description: String
    /// Makes an error with a complete message.
    public init(_ description: String) { self.description = description }
}
