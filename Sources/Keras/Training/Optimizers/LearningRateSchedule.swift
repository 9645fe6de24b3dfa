import Foundation

/// A learning rate that changes with the optimizer's iteration count (Keras's
/// `keras.optimizers.schedules.LearningRateSchedule`). The optimizer evaluates it at its `iterations` before
/// each update, as Keras does.
///
/// Write your own by conforming to it:
///
/// ```swift
/// struct Halving: LearningRateSchedule {
///     func callAsFunction(_ step: Int) -> Float { 0.1 / Float(1 << min(step / 100, 20)) }
///     var kerasClassName: String { "Halving" }
///     var config: JSONObject { [:] }
/// }
/// optimizer.schedule = Halving()
/// ```
///
/// A custom schedule is saved under its class name with `registered_name` set, so Python resolves it through
/// `custom_objects`; files with schedules this package does not know load uncompiled.
public protocol LearningRateSchedule: Sendable {
    /// The learning rate for the update made at `step` (the optimizer's iteration count before it).
    func callAsFunction(_ step: Int) -> Float
    /// The class name it is saved under.
    var kerasClassName: String { get }
    /// Its `get_config()`.
    var config: JSONObject { get }
    /// Whether it is one of Keras's built-in schedules (saved with module `keras.optimizers.schedules`).
    var isBuiltin: Bool { get }
}

extension LearningRateSchedule {
    /// A schedule you write is not one of Keras's built-ins.
    public var isBuiltin: Bool { false }

    /// The serialized object dict written into `compile_config`.
    public var serialized: JSON {
        isBuiltin ? KerasObject.serialized(module: "keras.optimizers.schedules", className: kerasClassName, config: config)
                  : KerasObject.serialized(module: nil, className: kerasClassName, config: config, registeredName: kerasClassName)
    }
}

/// Reading Keras's serialized schedules.
enum LearningRateSchedules {
    /// The schedule a `learning_rate` object of a `compile_config` describes.
    static func decode(_ json: JSON) throws(ConfigValueError) -> any LearningRateSchedule {
        guard let o = json.objectValue, let className = o["class_name"]?.stringValue else {
            throw .expected("a learning-rate schedule object", found: json)
        }
        let c = ConfigReader(o["config"]?.objectValue ?? JSONObject(), context: "learning-rate schedule \(className)")
        func positive(_ key: String) -> Int {
            let v: Int = c.require(key)
            if v <= 0 { c.report("'\(key)' must be > 0, found \(v)") }
            return v
        }
        let schedule: any LearningRateSchedule
        switch className {
        case "ExponentialDecay":
            schedule = ExponentialDecay(initialLearningRate: c.require("initial_learning_rate"), decaySteps: positive("decay_steps"),
                                        decayRate: c.require("decay_rate"), staircase: c.value("staircase", default: false),
                                        name: c.value("name", default: "ExponentialDecay"))
        case "PiecewiseConstantDecay":
            let boundaries: [Double] = c.require("boundaries"), values: [Double] = c.require("values")
            if boundaries.count != values.count - 1 || values.isEmpty {
                c.report("'boundaries' must have one value less than 'values', found \(boundaries.count) and \(values.count)")
            }
            schedule = PiecewiseConstantDecay(boundaries: boundaries, values: values.isEmpty ? [0] : values,
                                              name: c.value("name", default: "PiecewiseConstant"))
        case "PolynomialDecay":
            schedule = PolynomialDecay(initialLearningRate: c.require("initial_learning_rate"), decaySteps: positive("decay_steps"),
                                       endLearningRate: c.value("end_learning_rate", default: 0.0001), power: c.value("power", default: 1.0),
                                       cycle: c.value("cycle", default: false), name: c.value("name", default: "PolynomialDecay"))
        case "InverseTimeDecay":
            schedule = InverseTimeDecay(initialLearningRate: c.require("initial_learning_rate"), decaySteps: positive("decay_steps"),
                                        decayRate: c.require("decay_rate"), staircase: c.value("staircase", default: false),
                                        name: c.value("name", default: "InverseTimeDecay"))
        case "CosineDecay":
            schedule = CosineDecay(initialLearningRate: c.require("initial_learning_rate"), decaySteps: positive("decay_steps"),
                                   alpha: c.value("alpha", default: 0.0), name: c.value("name", default: "CosineDecay"),
                                   warmupTarget: c.optional("warmup_target"), warmupSteps: c.value("warmup_steps", default: 0))
        case "CosineDecayRestarts":
            schedule = CosineDecayRestarts(initialLearningRate: c.require("initial_learning_rate"), firstDecaySteps: positive("first_decay_steps"),
                                           tMul: c.value("t_mul", default: 2.0), mMul: c.value("m_mul", default: 1.0),
                                           alpha: c.value("alpha", default: 0.0), name: c.value("name", default: "SGDRDecay"))
        default:
            throw ConfigValueError("unknown learning-rate schedule '\(className)'; supported: ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay, CosineDecay, CosineDecayRestarts")
        }
        if !c.issues.isEmpty { throw ConfigValueError(c.issues.joined(separator: "; ")) }
        return schedule
    }
}
