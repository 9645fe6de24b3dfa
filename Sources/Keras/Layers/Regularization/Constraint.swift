import TensorEngine

/// Keras's weight constraints (keras/src/constraints): a projection applied to a weight after each optimizer
/// update. Norms are taken over `axis` (Keras's default 0: each column of a Dense kernel; `[0, 1, 2]` for each
/// filter of a Conv2D kernel).
public enum Constraint: Sendable, Equatable {
    /// `MaxNorm(max_value, axis)`: `w · clip(‖w‖, 0, max) / (ε + ‖w‖)`.
    case maxNorm(maxValue: Float, axis: [Int])
    /// `MinMaxNorm(min_value, max_value, rate, axis)`: `w · (rate·clip(‖w‖, min, max) + (1−rate)·‖w‖) / (ε + ‖w‖)`.
    case minMaxNorm(minValue: Float, maxValue: Float, rate: Float, axis: [Int])
    /// `NonNeg()`: `max(w, 0)`.
    case nonNeg
    /// `UnitNorm(axis)`: `w / (ε + ‖w‖)`.
    case unitNorm(axis: [Int])

    /// The projected weight.
    public func callAsFunction(_ w: Tensor) -> Tensor {
        func norms(_ axis: [Int]) -> Tensor { w.squared().sum(alongAxes: axis.map(w.normalizedAxis), keepingDims: true).sqrt() }
        let epsilon = Loss.epsilon
        switch self {
        case .maxNorm(let maxValue, let axis):
            let n = norms(axis)
            return w * (n.clipped(to: 0, maxValue) / (n + epsilon))
        case .minMaxNorm(let minValue, let maxValue, let rate, let axis):
            let n = norms(axis)
            let desired = n.clipped(to: minValue, maxValue) * rate + n * (1 - rate)
            return w * (desired / (n + epsilon))
        case .nonNeg:
            return Tensor.maximum(w, Tensor(0))
        case .unitNorm(let axis):
            return w / (norms(axis) + epsilon)
        }
    }

    /// Checks that the norm axes exist for a weight of `shape`.
    func check(shape: [Int], _ what: String) throws {
        let axes: [Int]
        switch self {
        case .maxNorm(_, let a), .minMaxNorm(_, _, _, let a), .unitNorm(let a): axes = a
        case .nonNeg: axes = []
        }
        for a in axes where a >= shape.count || a < -shape.count {
            throw ShapeError("\(what): \(className) axis \(a) does not exist for a weight of shape \(shape)")
        }
    }
}

extension Constraint: ConfigDecodable {
    /// A name (`"max_norm"`, `"non_neg"`, `"unit_norm"`, `"min_max_norm"` or a class name: Keras's defaults) or a
    /// serialized object.
    public init(configValue json: JSON) throws(ConfigValueError) {
        let (className, config) = try KerasObject.parts(of: json, kind: "a constraint")
        let c = ConfigReader(config, context: "constraint \(className)")
        let axis: [Int] = c.object["axis"]?.arrayValue != nil ? c.value("axis", default: [0]) : [c.value("axis", default: 0)]
        switch className {
        case "MaxNorm", "max_norm":
            self = .maxNorm(maxValue: c.value("max_value", default: 2), axis: axis)
        case "MinMaxNorm", "min_max_norm":
            self = .minMaxNorm(minValue: c.value("min_value", default: 0), maxValue: c.value("max_value", default: 1),
                               rate: c.value("rate", default: 1), axis: axis)
        case "NonNeg", "non_neg": self = .nonNeg
        case "UnitNorm", "unit_norm": self = .unitNorm(axis: axis)
        default:
            throw ConfigValueError("unknown constraint '\(className)'; supported: MaxNorm, MinMaxNorm, NonNeg, UnitNorm")
        }
        if !c.issues.isEmpty { throw ConfigValueError(c.issues.joined(separator: "; ")) }
    }

    public static var placeholder: Constraint { .nonNeg }
    public static var configTypeName: String { "a constraint" }

    /// The Keras class name.
    public var className: String {
        switch self {
        case .maxNorm: return "MaxNorm"
        case .minMaxNorm: return "MinMaxNorm"
        case .nonNeg: return "NonNeg"
        case .unitNorm: return "UnitNorm"
        }
    }

    /// Keras 3's serialized object dict.
    public var serialized: JSON {
        let axisJSON = { (axis: [Int]) -> JSON in axis.count == 1 ? .int(axis[0]) : .array(axis.map { .int($0) }) }
        var config = JSONObject()
        switch self {
        case .maxNorm(let maxValue, let axis):
            config["max_value"] = CompileConfig.decimal(maxValue); config["axis"] = axisJSON(axis)
        case .minMaxNorm(let minValue, let maxValue, let rate, let axis):
            config["min_value"] = CompileConfig.decimal(minValue); config["max_value"] = CompileConfig.decimal(maxValue)
            config["rate"] = CompileConfig.decimal(rate); config["axis"] = axisJSON(axis)
        case .nonNeg: break
        case .unitNorm(let axis): config["axis"] = axisJSON(axis)
        }
        return KerasObject.serialized(module: "keras.constraints", className: className, config: config)
    }
}
