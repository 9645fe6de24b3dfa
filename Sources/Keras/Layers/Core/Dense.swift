import TensorEngine

/// Keras's `Dense`: `activation(inputs · kernel + bias)`, with a kernel of shape `(input_dim, units)`.
/// Inputs of rank > 2 contract over their last axis.
public final class Dense: Layer {
    /// The number of outputs (Keras's `units`).
    public let units: Int
    /// Applied to `inputs · kernel + bias`.
    public let activation: ActivationFunction
    /// Whether a bias vector is added.
    public let useBias: Bool
    /// The `(input_dim, units)` weight matrix, once built.
    public private(set) var kernel: Variable?
    /// The `(units,)` bias, once built, when `useBias`.
    public private(set) var bias: Variable?

    public override class var configuredWeights: [ConfiguredWeight] { [.init("kernel", .glorotUniform), .init("bias", .zeros)] }
    /// Keras keys for options this package does not implement: written as null, refused when set.
    private static let unsupportedKeys = ["quantization_config"]
    /// Passes a mask on unchanged, as Keras's does (`supports_masking`).
    public override var supportsMasking: Bool { true }

    /// A dense layer of `units` outputs.
    public init(_ units: Int, activation: ActivationFunction = .linear, useBias: Bool = true,
                kernelInitializer: Initializer = .glorotUniform, biasInitializer: Initializer = .zeros,
                kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                activityRegularizer: Regularizer? = nil, kernelConstraint: Constraint? = nil, biasConstraint: Constraint? = nil,
                name: String? = nil) {
        self.units = units
        self.activation = activation
        self.useBias = useBias
        super.init(name: name)
        weightOptions = ["kernel": WeightOptions(kernelInitializer, regularizer: kernelRegularizer, constraint: kernelConstraint),
                         "bias": WeightOptions(biasInitializer, regularizer: biasRegularizer, constraint: biasConstraint)]
        self.activityRegularizer = activityRegularizer
    }

    public required init(from config: ConfigReader) throws {
        units = config.require("units")
        if units <= 0 { config.report("units must be positive, found \(units)") }
        activation = config.value("activation", default: .linear)
        useBias = config.value("use_bias", default: true)
        config.refuseSetKeys(Self.unsupportedKeys)
        if config.object["lora_rank"].map({ $0 != .null }) == true { config.report("LoRA ('lora_rank') is not supported") }
        try super.init(from: config)
    }

    public override func build(inputShape: [Int]) throws {
        guard let inputDim = inputShape.last else {
            throw ShapeError("\(displayName) needs inputs of rank ≥ 2, got \(Shape.describeBatched(inputShape))")
        }
        kernel = try addWeight(name: "kernel", shape: [inputDim, units], options: options(for: "kernel"))
        if useBias { bias = try addWeight(name: "bias", shape: [units], options: options(for: "bias")) }
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        guard let kernel else { throw ShapeError("\(displayName) was called before it was built") }
        var x = inputs.matmul(kernel.value)
        if let bias { x = x + bias.value }
        return activation(x)
    }

    public override func config() -> JSONObject {
        var c = JSONObject()
        c["units"] = .int(units)
        c["activation"] = .string(activation.rawValue)
        c["use_bias"] = .bool(useBias)
        c.appendWeightOptions(Self.configuredWeights, weightOptions)
        c.setNull(Self.unsupportedKeys)
        return c
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        guard !inputShape.isEmpty else { throw ShapeError("\(displayName) needs inputs of rank ≥ 2") }
        let out = Array(inputShape.dropLast()) + [units]
        _ = try Shape.checkedElementCount(out, "\(displayName) output")
        return out
    }
}
