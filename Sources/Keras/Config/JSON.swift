/// A JSON value that keeps object key order and tells integers from floats, so that Keras's `config.json` can
/// be written back exactly as Python's `json.dumps` writes it.
public enum JSON: Equatable, Sendable {
    /// `null` (Python's `None`).
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number written without fraction or exponent.
    case int(Int)
    /// Any other number (and Python's `NaN` / `Infinity`).
    case double(Double)
    /// A string.
    case string(String)
    /// A list.
    case array([JSON])
    /// An object, keys in file order.
    case object(JSONObject)

    /// The string, if this is a string.
    public var stringValue: String? { if case .string(let v) = self { return v } else { return nil } }
    /// The integer, if this is an integer.
    public var intValue: Int? { if case .int(let v) = self { return v } else { return nil } }
    /// The number as a Double, if this is an integer or a float.
    public var doubleValue: Double? {
        switch self {
        case .int(let v): return Double(v)
        case .double(let v): return v
        default: return nil
        }
    }
    /// The Boolean, if this is one.
    public var boolValue: Bool? { if case .bool(let v) = self { return v } else { return nil } }
    /// The elements, if this is an array.
    public var arrayValue: [JSON]? { if case .array(let v) = self { return v } else { return nil } }
    /// The object, if this is one.
    public var objectValue: JSONObject? { if case .object(let v) = self { return v } else { return nil } }
    /// The value under `key`, if this is an object that has it.
    public subscript(key: String) -> JSON? { objectValue?[key] }

    /// The JSON type's name, for messages ("a string", "an object" …).
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .double: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}

/// A JSON object whose keys keep their insertion order.
public struct JSONObject: Equatable, Sendable, Sequence, ExpressibleByDictionaryLiteral {
    private var orderedKeys: [String] = []
    private var values: [String: JSON] = [:]

    /// An empty object.
    public init() {}

    public init(dictionaryLiteral elements: (String, JSON)...) {
        for (k, v) in elements { self[k] = v }
    }

    /// The keys in order.
    public var keys: [String] { orderedKeys }
    /// The number of keys.
    public var count: Int { orderedKeys.count }

    /// The value under `key`. Setting an existing key keeps its position; a new key goes last; `nil` removes it.
    public subscript(key: String) -> JSON? {
        get { values[key] }
        set {
            guard let newValue else { removeValue(forKey: key); return }
            if values.updateValue(newValue, forKey: key) == nil { orderedKeys.append(key) }
        }
    }

    /// Removes `key` and returns its value.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSON? {
        guard let old = values.removeValue(forKey: key) else { return nil }
        orderedKeys.removeAll { $0 == key }
        return old
    }

    /// This object with `key` set to `value` right after the key `after` (or last when `after` is absent).
    public func inserting(_ key: String, _ value: JSON, after: String) -> JSONObject {
        var out = JSONObject()
        for (k, v) in self where k != key {
            out[k] = v
            if k == after { out[key] = value }
        }
        if out[key] == nil { out[key] = value }
        return out
    }

    public func makeIterator() -> AnyIterator<(key: String, value: JSON)> {
        var i = 0
        return AnyIterator {
            guard i < orderedKeys.count else { return nil }
            defer { i += 1 }
            let k = orderedKeys[i]
            return (k, values[k] ?? .null)
        }
    }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        a.orderedKeys == b.orderedKeys && a.values == b.values
    }
}
