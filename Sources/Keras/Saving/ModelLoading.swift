import Foundation
import HDF5
import TensorEngine

/// Why a model file could not be turned into a model.
public struct ModelLoadError: Error, CustomStringConvertible, Sendable {
    /// The file concerned.
    public let path: String
    /// Every problem found, each naming the layer and key or weight concerned.
    public let issues: [String]
    /// Whether some class had no registered implementation (the message then says how to register one).
    public let hasUnknownClasses: Bool

    /// The hint printed when some class had no registered implementation.
    public static let registrationHint = "hint: implement the layer in Swift (a subclass of Layer) and register it: `var registry = LayerRegistry.builtins; registry.register(MyLayer.self)`, then `Model.load(from:registry:)`"

    /// The most problems the description lists (a hostile config can produce hundreds of thousands).
    public static let maximumListedIssues = 20

    /// All problems in one line (`cannot load m.keras: 2 problems: a; b`; past `maximumListedIssues`, the first
    /// ones and how many more), then the registration hint on a second line when a class is unknown.
    public var description: String {
        let listed = issues.prefix(Self.maximumListedIssues).joined(separator: "; ")
        let more = issues.count > Self.maximumListedIssues ? "; … and \(issues.count - Self.maximumListedIssues) more" : ""
        let problems = issues.count == 1 ? issues[0] : "\(issues.count) problems: " + listed + more
        return "cannot load \(path): \(problems)" + (hasUnknownClasses ? "\n" + Self.registrationHint : "")
    }
}

extension Model {
    /// Loads a Keras 3 model saved by `model.save("x.keras")` (a zip archive, or an unzipped model folder):
    /// rebuilds it from `config.json` through `registry`, then loads `model.weights.h5` by Keras's paths with
    /// shape checks. The `compile_config` is kept for training.
    ///
    /// - Throws: `ModelLoadError` listing every unknown class, unsupported config value and weight mismatch at
    ///   once; `ArchiveError`, `JSONError` or `HDF5Error` when the file itself is unreadable.
    public static func load(from path: String, registry: LayerRegistry = .builtins) throws -> sending Model {
        if LegacyH5.isHDF5(path: path) { return try LegacyH5.load(path: path, registry: registry) }
        let archive = try KerasArchive(path: path)
        let json = try JSON.parse(archive.configBytes)
        let store = try WeightStore(archive: archive)
        let model = try Layer.$weightsFromFile.withValue(try WeightBudget(for: store)) {
            try ModelDeserializer(registry: registry, path: path).model(from: json)
        }
        var warnings: [String] = []
        if let compileConfig = model.loadedCompileConfig {
            if let problem = CompileConfig.applyOrExplain(compileConfig, to: model) { warnings.append(problem) }
            model.loadedCompileConfig = compileConfig
        }
        let loader = WeightLoader(path: path)
        try loader.load(store, into: model)
        try loader.loadOptimizerState(store, into: model)
        model.loadWarnings = warnings + loader.warnings
        model.weightConversions = loader.conversions
        return model
    }
}

/// Turns a parsed `config.json` into a model, collecting every problem on the way.
struct ModelDeserializer {
    let registry: LayerRegistry
    let path: String
    /// Layers a Keras 2 file stores no weights for (by name): tells the 2016 Antirectifier from the 2023 one.
    var weightlessLayers: Set<String> = []
    var issues: [String] = []
    var unknownClasses = false

    init(registry: LayerRegistry, path: String) {
        self.registry = registry
        self.path = path
    }

    mutating func fail(_ issue: String) { issues.append(issue) }

    func error() -> ModelLoadError { ModelLoadError(path: path, issues: issues, hasUnknownClasses: unknownClasses) }

    /// Builds the model described by the top-level object.
    func model(from json: JSON) throws -> Model {
        var copy = self
        guard let top = json.objectValue else {
            throw ModelLoadError(path: path, issues: ["config.json: expected an object, found \(json.typeName)"], hasUnknownClasses: false)
        }
        let model = try copy.model(fromEntry: top)
        model.loadedCompileConfig = top["compile_config"]?.objectValue
        return model
    }

    /// A Sequential or Functional model from its object dict (the whole file, or a model nested as a layer).
    mutating func model(fromEntry top: JSONObject) throws -> Model {
        let className = top["class_name"]?.stringValue ?? ""
        let config = top["config"]?.objectValue
        switch className {
        case "Sequential":
            return try sequential(from: top)
        case "Functional":
            return try functional(from: top)
        case "Model" where config?["input_layers"] != nil:
            return try functional(from: top)
        default:
            if config?["input_layers"] != nil, config?["output_layers"] != nil { return try functional(from: top) }
            throw ModelLoadError(path: path, issues: ["config.json: model class '\(className)' is not supported (supported: Sequential, Functional)"], hasUnknownClasses: false)
        }
    }

    /// Rebuilds a Sequential model: its layers in order, its input shape, then builds it.
    private mutating func sequential(from top: JSONObject) throws -> Sequential {
        let config = top["config"]?.objectValue ?? JSONObject()
        guard let entries = config["layers"]?.arrayValue else {
            throw ModelLoadError(path: path, issues: ["config.json: Sequential config has no 'layers' list"], hasUnknownClasses: false)
        }
        var layers: [Layer] = []
        var input: InputLayer?
        var firstBuildShape: ConfigShape?
        for (index, entry) in entries.enumerated() {
            guard let layer = self.layer(from: entry, index: index) else { continue }
            if let i = layer as? InputLayer, layers.isEmpty, input == nil { input = i; continue }
            if firstBuildShape == nil, layers.isEmpty {
                // Keras 3 writes a build_config; Keras 2 puts batch_input_shape in the first layer's config.
                let object = entry.objectValue
                let declared = object?["build_config"]?.objectValue?["input_shape"] ?? object?["config"]?.objectValue?["batch_input_shape"]
                firstBuildShape = try? declared.map(ConfigShape.init(configValue:))
            }
            layers.append(layer)
        }
        var shape: [Int]? = input?.shape
        if shape == nil {
            let declared = try? (config["build_input_shape"]).map(ConfigShape.init(configValue:)) ?? firstBuildShape
            shape = try? declared?.sampleShape()
        }
        if shape == nil { fail("config.json: the model declares no input shape (no InputLayer, build_input_shape or build_config)") }
        guard issues.isEmpty, let shape else { throw error() }
        let model = try Sequential(layers, name: config["name"]?.stringValue)
        model.setInput(input, shape: nil)
        model.loadedConfig = config
        do {
            try model.buildIfNeeded(inputShape: shape)
        } catch {
            throw ModelLoadError(path: path, issues: ["building the model for input \(Shape.describeBatched(shape)): \(error)"], hasUnknownClasses: false)
        }
        return model
    }

    /// Makes one layer from its config entry, or records why it cannot.
    mutating func layer(from entry: JSON, index: Int) -> Layer? {
        guard let object = entry.objectValue, let className = object["class_name"]?.stringValue else {
            fail("config.json: layer #\(index) is not a {class_name, config} object")
            return nil
        }
        if let module = object["module"]?.stringValue, module.hasPrefix("keras.src.ops.") || module.hasPrefix("keras.ops") {
            var config = object["config"]?.objectValue ?? JSONObject()
            if config["name"] == nil, let name = object["name"] { config["name"] = name }   // ExtractPatches's config has no name
            let reader = ConfigReader(config, context: "operation '\(config["name"]?.stringValue ?? "#\(index)")' (\(className))")
            do {
                let operation = try KerasOperation(className: className, module: module, config: reader)
                try reader.finish()
                operation.loadedEntry = object
                return operation
            } catch let error as ConfigError {
                issues += error.issues
            } catch {
                fail("\(reader.context): \(error)")
            }
            return nil
        }
        if ["Sequential", "Functional"].contains(className), registry.layerType(className: className, registeredName: nil) == nil {
            do {
                var inner = ModelDeserializer(registry: registry, path: path)
                inner.weightlessLayers = weightlessLayers
                let nested = try inner.model(fromEntry: object)
                nested.loadedEntry = object
                return nested
            } catch let error as ModelLoadError {
                issues += error.issues
                unknownClasses = unknownClasses || error.hasUnknownClasses
            } catch {
                fail("nested model #\(index): \(error)")
            }
            return nil
        }
        let config = object["config"]?.objectValue ?? JSONObject()
        let name = config["name"]?.stringValue ?? "#\(index)"
        let registered = object["registered_name"]?.stringValue
        guard var type = registry.layerType(className: className, registeredName: registered) else {
            let label = registered.map { $0 == className ? className : "\(className) (registered as '\($0)')" } ?? className
            fail("layer '\(name)': unknown layer class \(label)")
            unknownClasses = true
            return nil
        }
        // Both seed layers are saved as "Antirectifier": a config without `initializer` (or a Keras 2 layer without
        // weights) is the 2016 one, unless the user registered their own.
        if type == Antirectifier.self, !registry.isUserRegistered(className),
           config["initializer"] == nil || weightlessLayers.contains(name) {
            type = Antirectifier2016.self
        }
        let reader = ConfigReader(config, context: "layer '\(name)' (\(className))")
        reader.nestedLayerReader = { [registry, path, weightlessLayers] entry in
            var inner = ModelDeserializer(registry: registry, path: path)
            inner.weightlessLayers = weightlessLayers
            return (inner.layer(from: entry, index: 0), inner.issues)
        }
        do {
            let layer = try type.init(from: reader)
            try reader.finish()
            if let lambda = layer as? Lambda {
                guard let function = registry.lambdaFunction(for: lambda) else {
                    let what = lambda.functionName.map { "the Python function '\($0)'" } ?? "a Python lambda"
                    fail("layer '\(name)' (Lambda) runs \(what), which is never executed here: register a Swift function with registry.registerLambda(\"\(name)\") { inputs, arguments in … }")
                    return nil
                }
                lambda.function = function
            }
            layer.loadedEntry = object
            return layer
        } catch let error as ConfigError {
            issues += error.issues
        } catch {
            fail("\(reader.context): \(error)")
        }
        return nil
    }
}
