/// Maps Keras class names to the Swift layer types that implement them.
///
/// The registry is a value handed to the loader, not a global:
/// ```swift
/// var registry = LayerRegistry.builtins
/// registry.register(MyLayer.self)                       // under MyLayer.kerasClassName
/// let model = try Model.load(from: url, registry: registry)
/// ```
/// A file names a class by `class_name` and, for custom classes, `registered_name` (`"Custom>Antirectifier"`,
/// `"my_package>Name"`). Lookup tries the registered name, then the class name, then the part of the registered
/// name after `>`; a registration overrides a built-in of the same name.
public struct LayerRegistry: Sendable {
    private var types: [String: Layer.Type] = [:]
    /// Names registered by the user (as opposed to `builtins`): they are never second-guessed.
    private var userNames: Set<String> = []
    /// Swift bodies of `Lambda` layers, by layer or function name (see `registerLambda`).
    var lambdas: [String: LambdaFunction] = [:]

    /// An empty registry.
    public init() {}

    /// Every layer this package implements.
    public static var builtins: LayerRegistry {
        var r = LayerRegistry()
        for type in builtinLayerTypes { r.types[type.kerasClassName] = type }
        return r
    }

    /// Registers `type` under its `kerasClassName` and any extra `names` (e.g. `"Custom>MyLayer"`). A user
    /// registration overrides a built-in and any automatic choice (such as which Antirectifier a file means).
    public mutating func register(_ type: Layer.Type, as names: String...) {
        for name in [type.kerasClassName] + names {
            types[name] = type
            userNames.insert(name)
        }
    }

    /// Whether `name` was registered by the user.
    public func isUserRegistered(_ name: String) -> Bool { userNames.contains(name) }

    /// The type for a config entry's names, or nil when nothing is registered under any of them.
    public func layerType(className: String, registeredName: String?) -> Layer.Type? {
        if let r = registeredName, let t = types[r] { return t }
        if let t = types[className] { return t }
        if let r = registeredName, let gt = r.lastIndex(of: ">") {
            return types[String(r[r.index(after: gt)...])]
        }
        return nil
    }

    /// The registered names, sorted.
    public var registeredNames: [String] { types.keys.sorted() }
}
