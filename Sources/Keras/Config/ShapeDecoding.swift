/// A shape as Keras writes it in configs: a list whose entries are sizes or `null` (unknown, usually the batch).
public struct ConfigShape: ConfigDecodable, Equatable, Sendable {
    /// The entries; `nil` for an unknown size.
    public var dims: [Int?]

    /// Makes a shape from its entries.
    public init(_ dims: [Int?]) { self.dims = dims }

    public init(configValue json: JSON) throws(ConfigValueError) {
        guard case .array(let items) = json else { throw .expected("a shape (a list of sizes)", found: json) }
        var dims: [Int?] = []
        for item in items {
            switch item {
            case .null: dims.append(nil)
            case .int(let v) where v >= 0 && v <= 1 << 31: dims.append(v)
            default: throw .expected("a shape of non-negative sizes or null", found: json)
            }
        }
        self.dims = dims
    }

    public static var placeholder: ConfigShape { ConfigShape([nil, 1]) }
    public static var configTypeName: String { "a shape" }

    /// The per-sample shape: the sizes after the batch axis, which must all be known.
    public func sampleShape() throws(ConfigValueError) -> [Int] {
        guard !dims.isEmpty else { throw ConfigValueError("expected a shape with a batch axis, found []") }
        var out: [Int] = []
        for d in dims.dropFirst() {
            guard let d else { throw ConfigValueError("dimensions other than the batch must be known, found \(Shape.describe(dims))") }
            out.append(d)
        }
        return out
    }
}

/// Formatting shapes the way Keras prints them.
public enum Shape {
    /// `(None, 784)` style, as in `model.summary()`.
    public static func describe(_ dims: [Int?]) -> String {
        let parts = dims.map { $0.map(String.init) ?? "None" }
        return parts.count == 1 ? "(\(parts[0]),)" : "(\(parts.joined(separator: ", ")))"
    }

    /// A per-sample shape with the batch axis shown as `None`.
    public static func describeBatched(_ sampleShape: [Int]) -> String {
        describe([nil] + sampleShape.map { Optional($0) })
    }
}
