import TensorEngine

/// Keras's `ReLU` layer: `max_value` above it, `x` from `threshold` up, `negative_slope · (x − threshold)` below.
public final class ReLU: Layer {
    /// The cap on the output, if any.
    public let maxValue: Double?
    /// The slope below the threshold.
    public let negativeSlope: Double
    /// The input below which the output leaks (or is 0).
    public let threshold: Double

    /// Passes a mask on unchanged, as Keras's does (`supports_masking`).
    public override var supportsMasking: Bool { true }

    /// A rectifier with optional cap, leak and threshold (defaults: plain relu).
    public init(maxValue: Double? = nil, negativeSlope: Double = 0, threshold: Double = 0, name: String? = nil) {
        self.maxValue = maxValue
        self.negativeSlope = negativeSlope
        self.threshold = threshold
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        maxValue = config.optional("max_value")
        negativeSlope = config.value("negative_slope", default: 0)
        threshold = config.value("threshold", default: 0)
        if let maxValue, maxValue < 0 { config.report("max_value must be non-negative, found \(maxValue)") }
        if negativeSlope < 0 { config.report("negative_slope must be non-negative, found \(negativeSlope)") }
        if threshold < 0 { config.report("threshold must be non-negative, found \(threshold)") }
        try super.init(from: config)
    }

    /// The elementwise function with its derivative, in the steps of Keras's `activations.relu`: keep `x` above
    /// the threshold (`x > threshold`, or relu when it is 0), clip to `[0, max_value]`, subtract
    /// `negative_slope · relu(threshold − x)`.
    var function: UnaryFunction {
        let (cap, slope, t) = (maxValue.map(Float.init), Float(negativeSlope), Float(threshold))
        if cap == nil, slope == 0, t == 0 { return .relu }
        @Sendable func kept(_ x: Float) -> Float { x > t ? x : 0 }
        return UnaryFunction(name: "relu", apply: { x in
            var y = kept(x)
            if let cap { y = Swift.min(Swift.max(y, 0), cap) }
            return y - slope * Swift.max(t - x, 0)
        }, derivative: { x, _ in
            let y = kept(x)
            var d: Float = x > t ? 1 : 0
            if let cap, y <= 0 || y >= cap { d = 0 }
            return d + (t - x > 0 ? slope : 0)
        })
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor { inputs.applying(function) }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] { inputShape }

    public override class var hasBuildConfig: Bool { false }

    public override func config() -> JSONObject {
        ["max_value": maxValue.map { .double($0) } ?? .null, "negative_slope": .double(negativeSlope), "threshold": .double(threshold)]
    }
}

/// Keras's `LeakyReLU`: `x` for `x ≥ 0`, `negative_slope · x` below (Keras 3's default slope 0.3; Keras 2's key
/// `alpha` is read too).
public final class LeakyReLU: Layer {
    /// The slope for negative inputs (Keras 3's default 0.3).
    public let negativeSlope: Double

    /// Passes a mask on unchanged, as Keras's does (`supports_masking`).
    public override var supportsMasking: Bool { true }

    /// A leaky rectifier.
    public init(negativeSlope: Double = 0.3, name: String? = nil) {
        self.negativeSlope = negativeSlope
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        negativeSlope = config.optional("negative_slope") ?? config.value("alpha", default: 0.3)
        if negativeSlope < 0 { config.report("negative_slope must be non-negative, found \(negativeSlope)") }
        try super.init(from: config)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        inputs.applying(.leakyRelu(slope: Float(negativeSlope)))
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] { inputShape }

    public override class var hasBuildConfig: Bool { false }

    public override func config() -> JSONObject { ["negative_slope": .double(negativeSlope)] }
}
