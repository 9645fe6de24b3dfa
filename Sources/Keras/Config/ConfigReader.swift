/// Reads the typed fields of one Keras config object (a layer's `config`, an initializer's …), collecting every
/// problem instead of stopping at the first, so a load failure can list them all at once.
///
/// A layer reads its keys in its `init(from:)`; the loader calls `finish()` afterwards, which throws a
/// `ConfigError` listing every missing key, wrong type and unsupported value found.
public final class ConfigReader {
    /// The config object as it appears in the file.
    public let object: JSONObject
    /// Where the object sits, for messages: e.g. `layer 'dense_1' (Dense)`.
    public let context: String
    /// The problems found so far.
    public private(set) var issues: [String] = []

    /// Rebuilds a layer nested in this config (`Bidirectional`'s `layer`, `TimeDistributed`'s `layer`) through the
    /// loader's registry; set by the model loader. Returns the layer, or nil and the problems found.
    var nestedLayerReader: ((JSON) -> (layer: Layer?, issues: [String]))?

    /// Makes a reader over `object`; `context` names it in messages.
    public init(_ object: JSONObject, context: String) {
        self.object = object
        self.context = context
    }

    /// The value under `key` decoded as `T`, or `defaultValue` when the key is absent or `null`.
    public func value<T: ConfigDecodable>(_ key: String, default defaultValue: T) -> T {
        guard let json = object[key], json != .null else { return defaultValue }
        return decode(json, key: key) ?? defaultValue
    }

    /// The value under `key` decoded as `T`, or `nil` when it is absent or `null`.
    public func optional<T: ConfigDecodable>(_ key: String, as type: T.Type = T.self) -> T? {
        guard let json = object[key], json != .null else { return nil }
        return decode(json, key: key)
    }

    /// The value under `key`, which must be present; a missing key is recorded as an issue and a placeholder
    /// value is returned so that reading can go on.
    public func require<T: ConfigDecodable>(_ key: String, as type: T.Type = T.self) -> T {
        guard let json = object[key], json != .null else {
            issues.append("\(context): config key '\(key)' is missing (expected \(T.configTypeName))")
            return T.placeholder
        }
        return decode(json, key: key) ?? T.placeholder
    }

    /// Records a problem found by the caller (for rules that span several keys).
    public func report(_ issue: String) {
        issues.append("\(context): \(issue)")
    }

    /// Throws a `ConfigError` listing every issue found, if any.
    public func finish() throws {
        if !issues.isEmpty { throw ConfigError(issues: issues) }
    }

    private func decode<T: ConfigDecodable>(_ json: JSON, key: String) -> T? {
        do {
            return try T(configValue: json)
        } catch {
            issues.append("\(context): config key '\(key)': \(error.message)")
            return nil
        }
    }
}

/// A value that can be read from a Keras config.
public protocol ConfigDecodable {
    /// Decodes the value, throwing a message that says what was expected and what was found.
    init(configValue: JSON) throws(ConfigValueError)
    /// A stand-in returned after a decoding problem has been recorded.
    static var placeholder: Self { get }
    /// How the expected value is described in messages (e.g. "an integer").
    static var configTypeName: String { get }
}

/// Why one config value could not be decoded.
public struct ConfigValueError: Error, Sendable {
    /// What was expected and what was found.
    public let message: String
    /// Makes an error with a complete message.
    public init(_ message: String) { self.message = message }
    /// "expected X, found Y" for a value of the wrong JSON type.
    public static func expected(_ what: String, found json: JSON) -> ConfigValueError {
        ConfigValueError("expected \(what), found \(json.typeName) \(json.brief)")
    }
}

/// One or more problems in a model's configuration.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    /// Every problem, each naming the object and key concerned.
    public let issues: [String]
    /// Makes an error listing `issues`.
    public init(issues: [String]) { self.issues = issues }
    /// Makes an error with one issue.
    public init(_ issue: String) { self.issues = [issue] }
    /// The issues, one per line.
    public var description: String { issues.joined(separator: "\n") }
}

extension JSON {
    /// A short rendering of the value for error messages.
    var brief: String {
        let text = serialized()
        return text.count > 60 ? String(text.prefix(57)) + "..." : text
    }
}

extension Int: ConfigDecodable {
    public init(configValue json: JSON) throws(ConfigValueError) {
        if case .int(let v) = json { self = v; return }
        if case .double(let d) = json, d == d.rounded(), abs(d) < 1e15 { self = Int(d); return }
        throw .expected("an integer", found: json)
    }
    public static var placeholder: Int { 1 }
    public static var configTypeName: String { "an integer" }
}

extension Double: ConfigDecodable {
    public init(configValue json: JSON) throws(ConfigValueError) {
        switch json {
        case .int(let v): self = Double(v)
        case .double(let v): self = v
        default: throw .expected("a number", found: json)
        }
    }
    public static var placeholder: Double { 0 }
    public static var configTypeName: String { "a number" }
}

extension Float: ConfigDecodable {
    public init(configValue json: JSON) throws(ConfigValueError) { self = Float(try Double(configValue: json)) }
    public static var placeholder: Float { 0 }
    public static var configTypeName: String { "a number" }
}

extension Bool: ConfigDecodable {
    public init(configValue json: JSON) throws(ConfigValueError) {
        guard case .bool(let v) = json else { throw .expected("true or false", found: json) }
        self = v
    }
    public static var placeholder: Bool { false }
    public static var configTypeName: String { "true or false" }
}

extension String: ConfigDecodable {
    public init(configValue json: JSON) throws(ConfigValueError) {
        guard case .string(let v) = json else { throw .expected("a string", found: json) }
        self = v
    }
    public static var placeholder: String { "" }
    public static var configTypeName: String { "a string" }
}

extension JSON: ConfigDecodable {
    public init(configValue json: JSON) throws(ConfigValueError) { self = json }
    public static var placeholder: JSON { .null }
    public static var configTypeName: String { "a value" }
}

extension Array: ConfigDecodable where Element: ConfigDecodable {
    public init(configValue json: JSON) throws(ConfigValueError) {
        guard case .array(let items) = json else { throw .expected("a list of \(Element.configTypeName)", found: json) }
        var out: [Element] = []
        for item in items { out.append(try Element(configValue: item)) }
        self = out
    }
    public static var placeholder: [Element] { [] }
    public static var configTypeName: String { "a list" }
}
