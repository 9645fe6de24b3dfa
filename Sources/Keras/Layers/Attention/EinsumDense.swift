import TensorEngine

/// Keras's `EinsumDense`: `activation(einsum(equation, inputs, kernel) + bias)`, a dense layer whose contraction is
/// any einsum of the inputs with a kernel (`"abc,cd->abd"`, `"...b,bc->...c"`, `"ab...,bc->ac..."`). The kernel's
/// shape comes from the equation, the input's shape and `output_shape`; `bias_axes` names the output letters the
/// bias spans.
public final class EinsumDense: Layer {
    /// The einsum equation of the layer's product (`"ab,bc->ac"`).
    public let equation: String
    /// The output's shape without the batch axis, `nil` where the input decides (Keras's `output_shape`).
    public let partialOutputShape: [Int?]
    /// The output letters the bias spans, or nil for no bias.
    public let biasAxes: String?
    /// Applied to the product plus bias.
    public let activation: ActivationFunction
    /// The kernel, once built.
    public private(set) var kernel: Variable?
    /// The bias, once built, when `biasAxes` is set.
    public private(set) var bias: Variable?

    public override class var configuredWeights: [ConfiguredWeight] { [.init("kernel", .glorotUniform), .init("bias", .zeros)] }
    /// Keras keys for options this package does not implement: written as null, refused when set.
    private static let unsupportedKeys = ["quantization_config"]

    /// An einsum dense layer (Keras's `EinsumDense(equation, output_shape, activation, bias_axes)`).
    public init(_ equation: String, outputShape: [Int?], activation: ActivationFunction = .linear, biasAxes: String? = nil,
                kernelInitializer: Initializer = .glorotUniform, biasInitializer: Initializer = .zeros,
                kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                kernelConstraint: Constraint? = nil, biasConstraint: Constraint? = nil, name: String? = nil) {
        self.equation = equation
        self.partialOutputShape = outputShape
        self.activation = activation
        self.biasAxes = biasAxes
        super.init(name: name)
        weightOptions = ["kernel": WeightOptions(kernelInitializer, regularizer: kernelRegularizer, constraint: kernelConstraint),
                         "bias": WeightOptions(biasInitializer, regularizer: biasRegularizer, constraint: biasConstraint)]
        self.activityRegularizer = activityRegularizer
    }

    public required init(from config: ConfigReader) throws {
        equation = config.require("equation")
        if let size = config.object["output_shape"]?.intValue {
            partialOutputShape = [size]
        } else {
            partialOutputShape = config.require("output_shape", as: ConfigShape.self).dims
        }
        biasAxes = config.optional("bias_axes")
        activation = config.value("activation", default: .linear)
        config.refuseSetKeys(Self.unsupportedKeys)
        if config.object["lora_rank"].map({ $0 != .null }) == true { config.report("LoRA ('lora_rank') is not supported") }
        try super.init(from: config)
    }

    public override func build(inputShape: [Int]) throws {
        let analysis = try EinsumDenseEquation(equation, biasAxes: biasAxes, inputShape: inputShape, partialOutput: partialOutputShape)
        // Keras gives a variance-scaling kernel initializer the kernel's input and output axes: its fans are those of
        // the `[input units, output units]` matrix, not the receptive-field rule for rank > 2. The draws are i.i.d., so
        // drawing that matrix and reshaping it gives the same distribution.
        var kernelOptions = options(for: "kernel")
        let fanDrawn: Initializer?
        switch kernelOptions.initializer {
        case .preset, .varianceScaling: (fanDrawn, kernelOptions.initializer) = (kernelOptions.initializer, .zeros)
        default: fanDrawn = nil
        }
        let kernel = try addWeight(name: "kernel", shape: analysis.kernelShape, options: kernelOptions)
        if let fanDrawn, Layer.weightsFromFile == nil {
            try kernel.assign(try fanDrawn(analysis.kernelFanShape, rng: &rng).reshaped(to: analysis.kernelShape))
        }
        self.kernel = kernel
        if let biasShape = analysis.biasShape { bias = try addWeight(name: "bias", shape: biasShape, options: options(for: "bias")) }
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        guard let kernel else { throw ShapeError("\(displayName) was called before it was built") }
        var x = try Tensor.einsum(equation, inputs, kernel.value)
        if let bias { x = x + bias.value }
        return activation(x)
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        try EinsumDenseEquation(equation, biasAxes: biasAxes, inputShape: inputShape, partialOutput: partialOutputShape).outputShape
    }

    public override func config() -> JSONObject {
        var c = JSONObject()
        c["output_shape"] = .array(partialOutputShape.map { $0.map { .int($0) } ?? .null })
        c["equation"] = .string(equation)
        c["activation"] = .string(activation.rawValue)
        c["bias_axes"] = biasAxes.map { .string($0) } ?? .null
        c.appendWeightOptions(Self.configuredWeights, weightOptions, activityRegularizer: .some(activityRegularizer))
        c.setNull(Self.unsupportedKeys)
        return c
    }
}
