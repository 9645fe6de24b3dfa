import Foundation

/// Keras's `ExponentialDecay`: `initial · rate^(step / decay_steps)` (the exponent floored when `staircase`).
public struct ExponentialDecay: LearningRateSchedule {
    /// The schedule's arguments, as Keras names them in snake case (`initial_learning_rate`, …).
    public var initialLearningRate: Double, decaySteps: Int, decayRate: Double, staircase: Bool, name: String
    /// A schedule with Keras's arguments and defaults.
    public init(initialLearningRate: Double, decaySteps: Int, decayRate: Double, staircase: Bool = false, name: String = "ExponentialDecay") {
        (self.initialLearningRate, self.decaySteps, self.decayRate, self.staircase, self.name) = (initialLearningRate, decaySteps, decayRate, staircase, name)
    }
    /// The learning rate for the update at `step`.
    public func callAsFunction(_ step: Int) -> Float {
        var p = Float(step) / Float(decaySteps)
        if staircase { p = p.rounded(.down) }
        return Float(initialLearningRate) * powf(Float(decayRate), p)
    }
    /// The class name Keras saves it under.
    public var kerasClassName: String { "ExponentialDecay" }
    /// `true`: one of Keras's own schedules.
    public var isBuiltin: Bool { true }
    /// Keras's `get_config()`.
    public var config: JSONObject {
        ["initial_learning_rate": .double(initialLearningRate), "decay_steps": .int(decaySteps), "decay_rate": .double(decayRate),
         "staircase": .bool(staircase), "name": .string(name)]
    }
}

/// Keras's `PiecewiseConstantDecay`: `values[0]` while `step ≤ boundaries[0]`, `values[i]` while
/// `boundaries[i−1] < step ≤ boundaries[i]`, the last value after the last boundary.
public struct PiecewiseConstantDecay: LearningRateSchedule {
    /// The schedule's arguments, as Keras names them in snake case (`initial_learning_rate`, …).
    public var boundaries: [Double], values: [Double], name: String
    /// A schedule with Keras's arguments and defaults.
    public init(boundaries: [Double], values: [Double], name: String = "PiecewiseConstant") {
        (self.boundaries, self.values, self.name) = (boundaries, values, name)
    }
    /// The learning rate for the update at `step`.
    public func callAsFunction(_ step: Int) -> Float {
        let s = Double(step)
        let i = boundaries.firstIndex { s <= $0 } ?? boundaries.count
        return Float(values[min(i, values.count - 1)])
    }
    /// The class name Keras saves it under.
    public var kerasClassName: String { "PiecewiseConstantDecay" }
    /// `true`: one of Keras's own schedules.
    public var isBuiltin: Bool { true }
    /// Keras's `get_config()`.
    public var config: JSONObject {
        let number = { (d: Double) -> JSON in d == d.rounded() && abs(d) < 1e15 ? .int(Int(d)) : .double(d) }
        return ["boundaries": .array(boundaries.map(number)), "values": .array(values.map { .double($0) }), "name": .string(name)]
    }
}

/// Keras's `PolynomialDecay`: `(initial − end) · (1 − step/decay_steps)^power + end`, the step held at
/// `decay_steps` (or, with `cycle`, `decay_steps` stretched to the next multiple above the step).
public struct PolynomialDecay: LearningRateSchedule {
    /// The schedule's arguments, as Keras names them in snake case (`initial_learning_rate`, …).
    public var initialLearningRate: Double, decaySteps: Int, endLearningRate: Double, power: Double, cycle: Bool, name: String
    /// A schedule with Keras's arguments and defaults.
    public init(initialLearningRate: Double, decaySteps: Int, endLearningRate: Double = 0.0001, power: Double = 1, cycle: Bool = false,
                name: String = "PolynomialDecay") {
        (self.initialLearningRate, self.decaySteps, self.endLearningRate, self.power, self.cycle, self.name) =
            (initialLearningRate, decaySteps, endLearningRate, power, cycle, name)
    }
    /// The learning rate for the update at `step`.
    public func callAsFunction(_ step: Int) -> Float {
        var s = Float(step), steps = Float(decaySteps)
        if cycle {
            steps *= s == 0 ? 1 : (s / Float(decaySteps)).rounded(.up)
        } else {
            s = min(s, steps)
        }
        let p = s / steps
        let initial = Float(initialLearningRate), end = Float(endLearningRate)
        return (initial - end) * powf(1 - p, Float(power)) + end
    }
    /// The class name Keras saves it under.
    public var kerasClassName: String { "PolynomialDecay" }
    /// `true`: one of Keras's own schedules.
    public var isBuiltin: Bool { true }
    /// Keras's `get_config()`.
    public var config: JSONObject {
        ["initial_learning_rate": .double(initialLearningRate), "decay_steps": .int(decaySteps), "end_learning_rate": .double(endLearningRate),
         "power": .double(power), "cycle": .bool(cycle), "name": .string(name)]
    }
}

/// Keras's `InverseTimeDecay`: `initial / (1 + rate · step/decay_steps)` (the ratio floored when `staircase`).
public struct InverseTimeDecay: LearningRateSchedule {
    /// The schedule's arguments, as Keras names them in snake case (`initial_learning_rate`, …).
    public var initialLearningRate: Double, decaySteps: Int, decayRate: Double, staircase: Bool, name: String
    /// A schedule with Keras's arguments and defaults.
    public init(initialLearningRate: Double, decaySteps: Int, decayRate: Double, staircase: Bool = false, name: String = "InverseTimeDecay") {
        (self.initialLearningRate, self.decaySteps, self.decayRate, self.staircase, self.name) = (initialLearningRate, decaySteps, decayRate, staircase, name)
    }
    /// The learning rate for the update at `step`.
    public func callAsFunction(_ step: Int) -> Float {
        var p = Float(step) / Float(decaySteps)
        if staircase { p = p.rounded(.down) }
        return Float(initialLearningRate) / (1 + Float(decayRate) * p)
    }
    /// The class name Keras saves it under.
    public var kerasClassName: String { "InverseTimeDecay" }
    /// `true`: one of Keras's own schedules.
    public var isBuiltin: Bool { true }
    /// Keras's `get_config()`.
    public var config: JSONObject {
        ["initial_learning_rate": .double(initialLearningRate), "decay_steps": .int(decaySteps), "decay_rate": .double(decayRate),
         "staircase": .bool(staircase), "name": .string(name)]
    }
}

/// Keras's `CosineDecay`: with `warmupTarget`, a linear warmup from the initial rate to it over `warmupSteps`,
/// then `target · ((1 − α) · ½(1 + cos(π · t/decay_steps)) + α)` with `t` held at `decay_steps`.
public struct CosineDecay: LearningRateSchedule {
    /// The schedule's arguments, as Keras names them in snake case (`initial_learning_rate`, …).
    public var initialLearningRate: Double, decaySteps: Int, alpha: Double, name: String, warmupTarget: Double?, warmupSteps: Int
    /// A schedule with Keras's arguments and defaults.
    public init(initialLearningRate: Double, decaySteps: Int, alpha: Double = 0, name: String = "CosineDecay",
                warmupTarget: Double? = nil, warmupSteps: Int = 0) {
        (self.initialLearningRate, self.decaySteps, self.alpha, self.name, self.warmupTarget, self.warmupSteps) =
            (initialLearningRate, decaySteps, alpha, name, warmupTarget, warmupSteps)
    }
    private func decay(_ step: Float, from rate: Float) -> Float {
        let cosine = 0.5 * (1 + cosf(Float.pi * (step / Float(decaySteps))))
        return rate * (Float(1 - alpha) * cosine + Float(alpha))
    }
    /// The learning rate for the update at `step`.
    public func callAsFunction(_ step: Int) -> Float {
        let initial = Float(initialLearningRate), steps = Float(decaySteps)
        guard let warmupTarget else { return decay(min(Float(step), steps), from: initial) }
        let target = Float(warmupTarget), warmup = Float(warmupSteps)
        let s = min(Float(step), steps + warmup)
        if s < warmup { return (target - initial) * (s / warmup) + initial }
        return decay(s - warmup, from: target)
    }
    /// The class name Keras saves it under.
    public var kerasClassName: String { "CosineDecay" }
    /// `true`: one of Keras's own schedules.
    public var isBuiltin: Bool { true }
    /// Keras's `get_config()`.
    public var config: JSONObject {
        ["initial_learning_rate": .double(initialLearningRate), "decay_steps": .int(decaySteps), "alpha": .double(alpha),
         "name": .string(name), "warmup_target": warmupTarget.map { .double($0) } ?? .null, "warmup_steps": .int(warmupSteps)]
    }
}

/// Keras's `CosineDecayRestarts` (SGDR): cosine decays over periods that grow by `tMul`, each restart's peak scaled
/// by `mMul`.
public struct CosineDecayRestarts: LearningRateSchedule {
    /// The schedule's arguments, as Keras names them in snake case (`initial_learning_rate`, …).
    public var initialLearningRate: Double, firstDecaySteps: Int, tMul: Double, mMul: Double, alpha: Double, name: String
    /// A schedule with Keras's arguments and defaults.
    public init(initialLearningRate: Double, firstDecaySteps: Int, tMul: Double = 2, mMul: Double = 1, alpha: Double = 0,
                name: String = "SGDRDecay") {
        (self.initialLearningRate, self.firstDecaySteps, self.tMul, self.mMul, self.alpha, self.name) =
            (initialLearningRate, firstDecaySteps, tMul, mMul, alpha, name)
    }
    /// The learning rate for the update at `step`.
    public func callAsFunction(_ step: Int) -> Float {
        let t = Float(tMul)
        var fraction = Float(step) / Float(firstDecaySteps)
        let restart: Float
        if t == 1 {
            restart = fraction.rounded(.down)
            fraction -= restart
        } else {
            restart = (logf(1 - fraction * (1 - t)) / logf(t)).rounded(.down)
            let sumR = (1 - powf(t, restart)) / (1 - t)
            fraction = (fraction - sumR) / powf(t, restart)
        }
        let cosine = 0.5 * powf(Float(mMul), restart) * (1 + cosf(Float.pi * fraction))
        return Float(initialLearningRate) * (Float(1 - alpha) * cosine + Float(alpha))
    }
    /// The class name Keras saves it under.
    public var kerasClassName: String { "CosineDecayRestarts" }
    /// `true`: one of Keras's own schedules.
    public var isBuiltin: Bool { true }
    /// Keras's `get_config()`.
    public var config: JSONObject {
        ["initial_learning_rate": .double(initialLearningRate), "first_decay_steps": .int(firstDecaySteps), "t_mul": .double(tMul),
         "m_mul": .double(mMul), "alpha": .double(alpha), "name": .string(name)]
    }
}
