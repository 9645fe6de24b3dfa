import TensorEngine

/// Keras's `Dense`: `activation(inputs · kernel + bias)`, with a kernel of shape `(input_dim, units)`.
/// Inputs of rank > 2 contract over their last axis.
public final class Dense: Layer {
    public let units: Int
    public let activation: ActivationFunction
    public let useBias: Bool
    public let kernelInitializer: Initializer
    public let biasInitializer: Initializer
    /// The `(input_dim, units)` weight matrix, once built.
    public private(set) var kernel: Variable?
    /// The `(units,)` bias, once built, when `useBias`.
    public private(set) var bias: Variable?

    /// Passes a mask on unchanged, as Keras's does (`supports_masking`).
    public override var supportsMasking: Bool { true }

    /// A dense layer of `units` outputs.
    public init(_ units: Int, activation: ActivationFunction = .linear, useBias: Bool = true,
                kernelInitializer: Initializer = .glorotUniform, biasInitializer: Initializer = .zeros,
                name: String? = nil) {
        self.units = units
        self.activation = activation
        self.useBias = useBias
        self.kernelInitializer = kernelInitializer
        self.biasInitializer = biasInitializer
        super.init(name: name)
    }

    public required init(from config: ConfigReader) throws {
        units = config.require("units")
        if units <= 0 { config.report("units must be positive, found \(units)") }
        activation = config.value("activation", default: .linear)
        useBias = config.value("use_bias", default: true)
        kernelInitializer = config.value("kernel_initializer", default: .glorotUniform)
        biasInitializer = config.value("bias_initializer", default: .zeros)
        for key in ["kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
                    "bias_constraint", "quantization_config"] where config.object[key].map({ $0 != .null }) == true {
            config.report("'\(key)' is not supported yet (found \(config.object[key]!.brief))")
        }
        if config.object["lora_rank"].map({ $0 != .null }) == true { config.report("LoRA ('lora_rank') is not supported") }
        try super.init(from: config)
    }

    public override func build(inputShape: [Int]) throws {
        guard let inputDim = inputShape.last else {
            throw ShapeError("\(displayName) needs inputs of rank ≥ 2, got \(Shape.describeBatched(inputShape))")
        }
        kernel = try addWeight(name: "kernel", shape: [inputDim, units], initializer: kernelInitializer)
        if useBias { bias = try addWeight(name: "bias", shape: [units], initializer: biasInitializer) }
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
        c["kernel_initializer"] = kernelInitializer.serialized
        c["bias_initializer"] = biasInitializer.serialized
        for key in ["kernel_regularizer", "bias_regularizer", "kernel_constraint", "bias_constraint", "quantization_config"] {
            c[key] = .null
        }
        return c
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        guard !inputShape.isEmpty else { throw ShapeError("\(displayName) needs inputs of rank ≥ 2") }
        let out = Array(inputShape.dropLast()) + [units]
        _ = try Shape.checkedElementCount(out, "\(displayName) output")
        return out
    }
}
