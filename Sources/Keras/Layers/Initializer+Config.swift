import TensorEngine

/// Reading and writing initializers in Keras's config forms: a name string (`"he_normal"`, `"HeNormal"`,
/// `"normal"` …, as `keras.initializers.get` accepts) or a serialized object
/// (`{"module": "keras.initializers", "class_name": "HeNormal", "config": {"seed": null, …}, "registered_name": null}`).
extension Initializer: ConfigDecodable {
    public init(configValue json: JSON) throws(ConfigValueError) {
        let (name, inner) = try KerasObject.parts(of: json, kind: "an initializer")
        let reader = ConfigReader(inner, context: "initializer \(name)")
        self = try Initializer(className: name, config: reader)
        do { try reader.finish() } catch { throw ConfigValueError(reader.issues.joined(separator: "; ")) }
    }

    public static var placeholder: Initializer { .zeros }
    public static var configTypeName: String { "an initializer" }

    /// Every spelling Keras resolves: the class names, their snake_case forms and Keras's aliases.
    static func canonicalClassName(_ name: String) -> String? {
        let aliases: [String: String] = [
            "uniform": "RandomUniform", "normal": "RandomNormal", "one": "Ones", "zero": "Zeros",
            "OrthogonalInitializer": "Orthogonal", "IdentityInitializer": "Identity",
        ]
        if let alias = aliases[name] { return alias }
        return allClassNames.first { $0 == name || snakeCase($0) == name }
    }

    static let allClassNames = ["Zeros", "Ones", "Constant", "Identity", "RandomNormal", "RandomUniform",
                                "TruncatedNormal", "VarianceScaling", "Orthogonal"]
        + VarianceScalingPreset.allCases.map(\.rawValue)

    private init(className name: String, config c: ConfigReader) throws(ConfigValueError) {
        guard let className = Initializer.canonicalClassName(name) else {
            throw ConfigValueError("unknown initializer '\(name)'; supported: \(Initializer.allClassNames.joined(separator: ", ")) and their snake_case names")
        }
        let seed = c.optional("seed", as: Int.self)
        if c.object["input_axes"].map({ $0 != .null }) == true || c.object["output_axes"].map({ $0 != .null }) == true {
            c.report("input_axes / output_axes are not supported")
        }
        switch className {
        case "Zeros": self = .zeros
        case "Ones": self = .ones
        case "Constant": self = .constant(value: c.value("value", default: 0.0))
        case "Identity": self = .identity(gain: c.value("gain", default: 1.0))
        case "RandomNormal":
            self = .randomNormal(mean: c.value("mean", default: 0.0), stddev: c.value("stddev", default: 0.05), seed: seed)
        case "RandomUniform":
            self = .randomUniform(minval: c.value("minval", default: -0.05), maxval: c.value("maxval", default: 0.05), seed: seed)
        case "TruncatedNormal":
            self = .truncatedNormal(mean: c.value("mean", default: 0.0), stddev: c.value("stddev", default: 0.05), seed: seed)
        case "VarianceScaling":
            let mode = c.value("mode", default: "fan_in")
            let distribution = c.value("distribution", default: "truncated_normal")
            guard let m = InitializerMath.FanMode(rawValue: mode) else {
                throw ConfigValueError("VarianceScaling mode '\(mode)' is not one of fan_in, fan_out, fan_avg")
            }
            let d: InitializerMath.Distribution
            switch distribution {
            case "normal", "truncated_normal": d = .truncatedNormal
            case "untruncated_normal": d = .untruncatedNormal
            case "uniform": d = .uniform
            default: throw ConfigValueError("VarianceScaling distribution '\(distribution)' is not one of truncated_normal, untruncated_normal, uniform")
            }
            self = .varianceScaling(scale: c.value("scale", default: 1.0), mode: m, distribution: d, seed: seed)
        case "Orthogonal": self = .orthogonal(gain: c.value("gain", default: 1.0), seed: seed)
        default:
            guard let preset = VarianceScalingPreset(rawValue: className) else {
                throw ConfigValueError("unknown initializer '\(name)'")
            }
            self = .preset(preset, seed: seed)
        }
    }

    /// The Keras class name this initializer saves under.
    public var className: String {
        switch self {
        case .zeros: return "Zeros"
        case .ones: return "Ones"
        case .constant: return "Constant"
        case .identity: return "Identity"
        case .randomNormal: return "RandomNormal"
        case .randomUniform: return "RandomUniform"
        case .truncatedNormal: return "TruncatedNormal"
        case .varianceScaling: return "VarianceScaling"
        case .orthogonal: return "Orthogonal"
        case .preset(let p, _): return p.rawValue
        }
    }

    /// The serialized object dict, with the config keys in the order Keras 3.15 writes them.
    public var serialized: JSON {
        let seedJSON: JSON = seed.map { .int($0) } ?? .null
        var config = JSONObject()
        switch self {
        case .zeros, .ones: break
        case .constant(let v): config["value"] = .double(v)
        case .identity(let gain): config["gain"] = .double(gain)
        case .randomNormal(let mean, let stddev, _), .truncatedNormal(let mean, let stddev, _):
            config["seed"] = seedJSON; config["mean"] = .double(mean); config["stddev"] = .double(stddev)
        case .randomUniform(let low, let high, _):
            config["seed"] = seedJSON; config["minval"] = .double(low); config["maxval"] = .double(high)
        case .varianceScaling(let scale, let mode, let distribution, _):
            config["seed"] = seedJSON; config["scale"] = .double(scale); config["mode"] = .string(mode.rawValue)
            config["distribution"] = .string(distribution.rawValue)
            config["input_axes"] = .null; config["output_axes"] = .null
        case .preset:
            config["seed"] = seedJSON; config["input_axes"] = .null; config["output_axes"] = .null
        case .orthogonal(let gain, _):
            config["seed"] = seedJSON; config["gain"] = .double(gain)
        }
        return KerasObject.serialized(module: "keras.initializers", className: className, config: config)
    }
}

/// Keras's `to_snake_case`: `RMSprop` → `rm_sprop`, `InputLayer` → `input_layer`, `Conv2D` → `conv2d`.
public func snakeCase(_ name: String) -> String {
    let chars = Array(name.filter { $0.isLetter || $0.isNumber || $0 == "_" })
    var step1: [Character] = []
    // (.)([A-Z][a-z]+) → \1_\2
    var i = 0
    while i < chars.count {
        if i > 0, chars[i].isUppercase, i + 1 < chars.count, chars[i + 1].isLowercase {
            step1.append("_")
        }
        step1.append(chars[i])
        i += 1
    }
    // ([a-z])([A-Z]) → \1_\2
    var out: [Character] = []
    for (j, c) in step1.enumerated() {
        if j > 0, c.isUppercase, step1[j - 1].isLowercase { out.append("_") }
        out.append(c)
    }
    return String(out).lowercased()
}

/// Keras's serialized object dict: `{"module", "class_name", "config", "registered_name"}` in that order.
public enum KerasObject {
    /// Builds the dict for a built-in (exported) class; `registered_name` is null.
    public static func serialized(module: String?, className: String, config: JSONObject, registeredName: String? = nil) -> JSON {
        var o = JSONObject()
        o["module"] = module.map { .string($0) } ?? .null
        o["class_name"] = .string(className)
        o["config"] = .object(config)
        o["registered_name"] = registeredName.map { .string($0) } ?? .null
        return .object(o)
    }

    /// Reads an object Keras gives by name (`"l2"`, `"he_normal"`) or serialized (`{"class_name": "L2",
    /// "config": {…}}`, Keras 3's dict or Keras 2's pair): its class name and config (empty for a name). `kind`
    /// names what was expected in the error (`"a regularizer"`).
    public static func parts(of json: JSON, kind: String) throws(ConfigValueError) -> (className: String, config: JSONObject) {
        switch json {
        case .string(let name):
            return (name, JSONObject())
        case .object(let object):
            guard let name = object["class_name"]?.stringValue else {
                throw .expected("\(kind) name or object with a 'class_name'", found: json)
            }
            return (name, object["config"]?.objectValue ?? JSONObject())
        default:
            throw .expected("\(kind) name or object", found: json)
        }
    }
}
