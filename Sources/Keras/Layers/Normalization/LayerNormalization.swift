import TensorEngine

/// Keras's `LayerNormalization`: each sample normalised by its own mean and biased variance over `axis` (one axis
/// or several), then scaled by `gamma` and shifted by `beta` (shaped like the normalised axes), in Keras's order of
/// operations. With Keras's deprecated `rms_scaling` the input is only divided by `sqrt(variance + epsilon)` (not
/// centred) and scaled by `gamma`, which then always exists, and there is no `beta`.
public final class LayerNormalization: Layer {
    /// The normalised axes as configured (counted with the batch axis; negative from the end).
    public let axes: [Int]
    /// Whether `axis` was written as a single int (written back the same way).
    private let axisIsList: Bool
    /// Added to the variance before its square root.
    public let epsilon: Double
    /// Whether there is an offset `beta` (never with `rms_scaling`).
    public let center: Bool
    /// Whether there is a factor `gamma` (always with `rms_scaling`).
    public let scale: Bool
    /// Keras's `rms_scaling`: `x · rsqrt(variance + epsilon) · gamma`, with no centring and no `beta`.
    public let rmsScaling: Bool
    public override class var configuredWeights: [ConfiguredWeight] {
        [.init("beta", .zeros), .init("gamma", .ones)]
    }
    /// The factor, shaped like the normalised axes, once built.
    public private(set) var gamma: Variable?
    /// The offset, shaped like the normalised axes, once built.
    public private(set) var beta: Variable?

    /// Passes a mask on unchanged, as Keras's does (`supports_masking`).
    public override var supportsMasking: Bool { true }

    /// A layer normalization over `axes` (default: the last axis).
    public init(axes: [Int] = [-1], epsilon: Double = 1e-3, center: Bool = true, scale: Bool = true, rmsScaling: Bool = false,
                name: String? = nil) {
        self.axes = axes
        axisIsList = true
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.rmsScaling = rmsScaling
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        (axes, axisIsList) = config.normalizationAxes()
        epsilon = config.value("epsilon", default: 1e-3)
        if !(epsilon >= 0) { config.report("epsilon must be non-negative, found \(epsilon)") }
        center = config.value("center", default: true)
        scale = config.value("scale", default: true)
        rmsScaling = config.value("rms_scaling", default: false)
        try super.init(from: config)
    }

    private func resolvedAxes(rank: Int) throws -> [Int] { try Normalize.resolved(axes, rank: rank, for: self) }

    public override func build(inputShape: [Int]) throws {
        let shape = try resolvedAxes(rank: inputShape.count + 1).map { inputShape[$0 - 1] }
        if scale || rmsScaling { gamma = try addWeight(name: "gamma", shape: shape, options: options(for: "gamma")) }
        if center && !rmsScaling { beta = try addWeight(name: "beta", shape: shape, options: options(for: "beta")) }
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        let normalised = try resolvedAxes(rank: inputs.rank)
        let statShape = Normalize.broadcastShape(inputs.shape, keeping: normalised)
        let (mean, variance) = Normalize.moments(inputs, axes: normalised)
        if rmsScaling {
            let scaled = inputs * (Tensor(1) / (variance + Float(epsilon)).sqrt())
            return gamma.map { scaled * $0.value.reshaped(to: statShape) } ?? scaled
        }
        return Normalize.apply(inputs, mean: mean, variance: variance, scale: gamma?.value.reshaped(to: statShape),
                               offset: beta?.value.reshaped(to: statShape), epsilon: Float(epsilon))
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        _ = try resolvedAxes(rank: inputShape.count + 1)
        return inputShape
    }

    public override func config() -> JSONObject {
        var c = JSONObject()
        // Keras's build turns `axis` into a sorted list, and a layer is always built when it is saved.
        c["axis"] = axisIsList ? .array(axes.sorted().map { .int($0) }) : .int(axes[0])
        c["epsilon"] = .double(epsilon)
        c["center"] = .bool(center)
        c["scale"] = .bool(scale)
        c["rms_scaling"] = .bool(rmsScaling)
        c.appendWeightOptions(Self.configuredWeights, weightOptions)
        return c
    }
}
