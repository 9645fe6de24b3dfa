/// The attributes of an HDF5 group or dataset (`group.attributes`, `dataset.attributes`).
///
/// Strings are read whether they are stored fixed-length (h5py 2's `|S<n>`) or variable-length, ASCII or UTF-8,
/// scalar or 1-D; numbers are read from any integer or floating-point attribute.
public struct HDF5Attributes: Sendable {
    let file: HDF5File
    /// The object, for messages (`'/layers/dense/vars'`).
    let what: String
    /// The attribute messages (names and where their parts are), found once, or why they cannot be.
    private let found: Result<[AttributeMessage], HDF5Error>

    /// The most values read from one attribute, a guard against absurd declared sizes.
    static let maximumCount = 1 << 24

    init(file: HDF5File, header: ObjectHeader, what: String) {
        (self.file, self.what) = (file, what)
        do {
            found = .success(try file.attributeMessages(of: header, what: what))
        } catch let error as HDF5Error {
            found = .failure(error)
        } catch {
            found = .failure(HDF5Error("\(file.name): \(what): \(error)"))
        }
    }

    private func messages() throws -> [AttributeMessage] { try found.get() }

    /// Whether an attribute called `name` exists.
    public func contains(_ name: String) -> Bool {
        (try? messages().contains { $0.name == name }) ?? false
    }

    /// The names of all attributes, in HDF5's name order (byte order of the UTF-8 names).
    public func names() throws -> [String] {
        try messages().map(\.name).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The attribute as one string, or nil when absent: a scalar string, or the first element of a 1-D string
    /// array (nil for an empty one).
    public func string(_ name: String) throws -> String? {
        try strings(name)?.first
    }

    /// The attribute as a list of strings (one for a scalar), or nil when absent. An empty array of any type reads as
    /// `[]` (h5py writes an empty Python list, like Keras 2's `weight_names = []`, as an empty float array).
    public func strings(_ name: String) throws -> [String]? {
        try withAttribute(name) { decoding, count, raw in
            count == 0 ? [] : try decoding.strings(raw)
        }
    }

    /// The attribute's numbers (one for a scalar) converted to Double, or nil when absent; throws for non-numeric
    /// attributes. Integers beyond ±2⁵³ are rounded.
    public func numbers(_ name: String) throws -> [Double]? {
        try withAttribute(name) { decoding, _, raw in try decoding.doubles(raw) }
    }

    /// Reads the attribute `name` (nil when absent) and runs `body` with a decoder for it, its count and its values.
    private func withAttribute<T>(_ name: String, _ body: (ElementDecoding, Int, ArraySlice<UInt8>) throws -> T) throws -> T? {
        guard let message = try messages().first(where: { $0.name == name }) else { return nil }
        let what = "\(self.what): attribute '\(name)'"
        let (type, space, raw) = try message.read(image: file.image, what: what)
        guard space.count <= Self.maximumCount else { throw HDF5Error("\(file.name): \(what): declares \(space.count) values, more than this reader accepts") }
        return try body(ElementDecoding(type: type, image: file.image, what: what), space.count, raw)
    }
}
