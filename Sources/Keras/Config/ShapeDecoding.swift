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
        do { _ = try Shape.checkedElementCount(out, "input") } catch { throw ConfigValueError("\(error)") }
        return out
    }
}

/// Formatting and checking shapes.
public enum Shape {
    /// The most elements one tensor of a loaded or built model may have (2²⁸ float32 values, 1 GiB). Larger
    /// sizes in a file are refused before anything is allocated.
    public static let maximumElementCount = 1 << 28

    /// The element count of `dims`, or a `ShapeError` (saying `what`) when it overflows or exceeds
    /// `maximumElementCount` — checked before allocating.
    public static func checkedElementCount(_ dims: [Int], _ what: @autoclosure () -> String) throws -> Int {
        var count = 1
        for d in dims {
            guard d >= 0 else { throw ShapeError("\(what()): negative dimension in \(dims)") }
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, product <= maximumElementCount else {
                throw ShapeError("\(what()): shape \(dims) has more than \(maximumElementCount) elements, more than this package allocates for one tensor")
            }
            count = product
        }
        return count
    }

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
