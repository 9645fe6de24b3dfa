/// Writing layers and models back as Keras's serialized object dicts (docs/keras-format.md §2).
///
/// A layer loaded from a file keeps its config object: only `name` and `trainable` (the keys Swift code can
/// change) are refreshed, so keys this package does not model are written back unchanged. A layer built in
/// Swift writes the base keys (`name`, `trainable`, `dtype`) followed by its own `config()`.
extension Layer {
    /// The float32 dtype policy object Keras 3.4+ writes in every layer config.
    static var float32Policy: JSON {
        KerasObject.serialized(module: "keras", className: "DTypePolicy", config: ["name": .string("float32")])
    }

    /// The base keys plus `config()`, or the loaded config with `name` / `trainable` refreshed.
    func defaultSerializedConfig() -> JSONObject {
        var c: JSONObject
        if let loaded = loadedConfig {
            c = loaded
        } else {
            c = JSONObject()
            c["name"] = .string(name)
            c["trainable"] = .bool(trainable)
            c["dtype"] = Self.float32Policy
            if let activityRegularizer { c["activity_regularizer"] = activityRegularizer.serialized }   // Keras's base config
            for (key, value) in config() { c[key] = value }
        }
        c["name"] = .string(name)
        if c["trainable"] != nil || loadedConfig == nil { c["trainable"] = .bool(trainable) }
        return c
    }

    /// The full object dict: `module`, `class_name`, `config`, `registered_name`, and `build_config` when Keras
    /// writes one.
    public func serializedEntry() -> JSON {
        if let model = self as? Model, let entry = try? model.serializedModel(topLevel: false) { return entry }
        let type = Swift.type(of: self)
        var entry = JSONObject()
        entry["module"] = loadedEntry?["module"] ?? type.kerasModule.map { .string($0) } ?? .null
        entry["class_name"] = loadedEntry?["class_name"] ?? .string(type.kerasClassName)
        entry["config"] = .object(serializedConfig())
        entry["registered_name"] = loadedEntry?["registered_name"] ?? type.registeredName.map { .string($0) } ?? .null
        if let build = loadedEntry?["build_config"] {
            entry["build_config"] = build
        } else if let names = (type as? any MultiArgumentLayer.Type)?.buildArgumentNames, let shapes = builtInputShapes {
            var shapesDict = JSONObject()
            for (name, shape) in zip(names, shapes) { shapesDict["\(name)_shape"] = Self.batchShapeJSON(shape) }
            entry["build_config"] = .object(["shapes_dict": .object(shapesDict)])
        } else if type.hasBuildConfig, let shapes = builtInputShapes {
            let shape = shapes.count == 1 && !type.takesInputList ? Self.batchShapeJSON(shapes[0]) : .array(shapes.map(Self.batchShapeJSON))
            entry["build_config"] = .object(["input_shape": shape])
        }
        return .object(entry)
    }

    /// `[null, 784]` for a per-sample shape `[784]`.
    static func batchShapeJSON(_ sampleShape: [Int]) -> JSON {
        .array([.null] + sampleShape.map { .int($0) })
    }
}

extension Model {
    /// The model's object dict as `config.json` holds it (docs/keras-format.md §2.9, §3): Sequential or Functional, with
    /// every layer, the `build_config` and the `compile_config`. A nested model (`topLevel: false`) keeps the
    /// `compile_config` it was loaded with, `{}` otherwise.
    public func serializedModel(topLevel: Bool = true) throws -> JSON {
        let compileConfig: JSON = topLevel ? .object(loadedCompileConfig ?? CompileConfig.serialized(for: self))
                                           : loadedEntry?["compile_config"] ?? .object([:])
        switch self {
        case let sequential as Sequential: return sequential.sequentialEntry(compileConfig: compileConfig)
        case let functional as Functional: return functional.functionalEntry(compileConfig: compileConfig)
        default: throw ArchiveError("saving \(type(of: self)) models is not supported (only Sequential and Functional)")
        }
    }
}

extension Sequential {
    /// The Sequential object dict with every layer (InputLayer first), the `build_config` and `compileConfig`.
    func sequentialEntry(compileConfig: JSON) -> JSON {
        var config: JSONObject = loadedConfig ?? ["name": .string(name), "trainable": .bool(trainable), "dtype": Layer.float32Policy]
        config["name"] = .string(name)
        var entries: [JSON] = []
        let input = inputLayer ?? inputShape.map { InputLayer(shape: $0, name: "input_layer") }
        if let input { entries.append(input.serializedEntry()) }
        entries += layers.map { $0.serializedEntry() }
        config["layers"] = .array(entries)
        if let shape = inputShape { config["build_input_shape"] = Layer.batchShapeJSON(shape) }
        var top = JSONObject()
        top["module"] = .string("keras")
        top["class_name"] = .string("Sequential")
        top["config"] = .object(config)
        top["registered_name"] = .null
        if let shape = inputShape { top["build_config"] = .object(["input_shape": Layer.batchShapeJSON(shape)]) }
        top["compile_config"] = compileConfig
        return .object(top)
    }
}
