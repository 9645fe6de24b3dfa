import TensorEngine

/// Keras's `BatchNormalization`: in training (a trainable layer called by `fit`) it normalises by the batch's
/// mean and biased variance over every axis but `axis` and moves the non-trainable statistics
/// `moving = moving · momentum + batch · (1 − momentum)`; otherwise it normalises by the moving statistics.
/// Weights, in Keras's order: `gamma` (if `scale`), `beta` (if `center`), `moving_mean`, `moving_variance`.
public final class BatchNormalization: Layer {
    /// The feature axis, counted with the batch axis (-1 is the last).
    public let axis: Int
    /// The weight of the old moving statistics in each training update.
    public let momentum: Double
    /// Added to the variance before its square root.
    public let epsilon: Double
    /// Whether there is an offset `beta`.
    public let center: Bool
    /// Whether there is a factor `gamma`.
    public let scale: Bool
    public override class var configuredWeights: [ConfiguredWeight] {
        [.init("beta", .zeros), .init("gamma", .ones),
         .init("moving_mean", .zeros, regularizable: false), .init("moving_variance", .ones, regularizable: false)]
    }
    /// The per-feature factor, once built, if `scale`.
    public private(set) var gamma: Variable?
    /// The per-feature offset, once built, if `center`.
    public private(set) var beta: Variable?
    /// The non-trainable running mean used in inference, once built.
    public private(set) var movingMean: Variable?
    /// The non-trainable running (biased) variance used in inference, once built.
    public private(set) var movingVariance: Variable?

    /// A batch normalization over the feature axis `axis` (counted with the batch axis; -1 is the last).
    public init(axis: Int = -1, momentum: Double = 0.99, epsilon: Double = 1e-3, center: Bool = true, scale: Bool = true,
                name: String? = nil) {
        self.axis = axis
        self.momentum = momentum
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        // Keras 2 writes the axis as a one-element list (`[3]`); Keras 3's legacy loader turns that into an int.
        if let list = config.object["axis"]?.arrayValue, list.count == 1, let single = list[0].intValue {
            axis = single
        } else {
            axis = config.value("axis", default: -1)
        }
        momentum = config.value("momentum", default: 0.99)
        epsilon = config.value("epsilon", default: 1e-3)
        // Keras accepts 0 (a feature with zero variance then divides by zero, as in Keras); a negative value or NaN
        // has no meaning.
        if !(epsilon >= 0) { config.report("epsilon must be non-negative, found \(epsilon)") }
        center = config.value("center", default: true)
        scale = config.value("scale", default: true)
        if config.value("synchronized", default: false) { config.report("synchronized=True is not supported") }
        if config.value("renorm", default: false) { config.report("renorm=True is not supported") }
        try super.init(from: config)
    }

    /// The feature axis of a batched tensor of rank `rank`.
    private func featureAxis(rank: Int) throws -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 1, a < rank else {
            throw ShapeError("\(displayName): axis \(axis) is not a feature axis of inputs of rank \(rank)")
        }
        return a
    }

    public override func build(inputShape: [Int]) throws {
        let features = inputShape[try featureAxis(rank: inputShape.count + 1) - 1]
        if scale { gamma = try addWeight(name: "gamma", shape: [features], options: options(for: "gamma")) }
        if center { beta = try addWeight(name: "beta", shape: [features], options: options(for: "beta")) }
        movingMean = try addWeight(name: "moving_mean", shape: [features], options: options(for: "moving_mean"), trainable: false)
        movingVariance = try addWeight(name: "moving_variance", shape: [features], options: options(for: "moving_variance"), trainable: false)
    }

    /// Passes a mask on, as Keras's does (`supports_masking`).
    public override var supportsMasking: Bool { true }

    /// Keras computes the batch statistics of masked inputs over the unmasked steps only; that is not implemented,
    /// so training on masked inputs is refused rather than computed differently. Inference ignores the mask, as Keras does.
    public override func call(_ inputs: Tensor, mask: Tensor?, training: Bool) throws -> Tensor {
        if mask != nil, training, trainable {
            throw ShapeError("\(displayName): training on masked inputs (batch statistics over unmasked steps) is not supported yet")
        }
        return try call(inputs, training: training)
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        guard let movingMean, let movingVariance else { throw ShapeError("\(displayName) was called before it was built") }
        let a = try featureAxis(rank: inputs.rank)
        let statShape = Normalize.broadcastShape(inputs.shape, keeping: [a])
        let (mean, variance): (Tensor, Tensor)
        if training && trainable {
            let reduce = (0..<inputs.rank).filter { $0 != a }
            (mean, variance) = Normalize.moments(inputs, axes: reduce)
            let m = Float(momentum), rest = Float(1.0 - momentum)
            try movingMean.assign(movingMean.value * m + mean.detached.reshaped(to: movingMean.shape) * rest)
            try movingVariance.assign(movingVariance.value * m + variance.detached.reshaped(to: movingVariance.shape) * rest)
        } else {
            (mean, variance) = (movingMean.value.reshaped(to: statShape), movingVariance.value.reshaped(to: statShape))
        }
        return Normalize.apply(inputs, mean: mean, variance: variance, scale: gamma?.value.reshaped(to: statShape),
                               offset: beta?.value.reshaped(to: statShape), epsilon: Float(epsilon))
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        _ = try featureAxis(rank: inputShape.count + 1)
        return inputShape
    }

    public override func config() -> JSONObject {
        var c = JSONObject()
        c["axis"] = .int(axis)
        c["momentum"] = .double(momentum)
        c["epsilon"] = .double(epsilon)
        c["center"] = .bool(center)
        c["scale"] = .bool(scale)
        c.appendWeightOptions(Self.configuredWeights, weightOptions)
        c["synchronized"] = .bool(false)
        c["renorm"] = .bool(false)
        c["renorm_clipping"] = .null
        c["renorm_momentum"] = .double(0.99)
        return c
    }
}
