import TensorEngine

/// Keras's `SimpleRNNCell`: `h' = activation(x·W + b + h·U)`.
public final class SimpleRNNCell: RecurrentCell {
    /// Reads the cell's keys from a `SimpleRNN` config.
    public override init(cellConfig config: ConfigReader) throws {
        try super.init(cellConfig: config)
    }

    /// A cell of `units` units.
    public init(units: Int, activation: ActivationFunction = .tanh, useBias: Bool = true,
                kernelInitializer: Initializer = .glorotUniform, recurrentInitializer: Initializer = .orthogonal(gain: 1, seed: nil),
                biasInitializer: Initializer = .zeros, dropout: Double = 0, recurrentDropout: Double = 0, seed: Int? = nil) {
        super.init(units: units, activation: activation, useBias: useBias, kernelInitializer: kernelInitializer,
                   recurrentInitializer: recurrentInitializer, biasInitializer: biasInitializer, dropout: dropout,
                   recurrentDropout: recurrentDropout, seed: seed, name: "simple_rnn_cell")
    }

    public required init(from config: ConfigReader) throws {
        throw ConfigError("a SimpleRNNCell is read by its SimpleRNN layer")
    }

    public override func build(inputShape: [Int]) throws {
        try super.build(inputShape: inputShape)
        if useBias { bias = try addWeight(name: "bias", shape: [units], initializer: biasInitializer) }
    }

    public override func step(_ projected: Tensor, states: [Tensor], recurrentMasks: [Tensor]?) throws -> (output: Tensor, states: [Tensor]) {
        guard let recurrentKernel else { throw ShapeError("\(displayName) was called before it was built") }
        let output = activation(projected + gateProducts(states[0], recurrentKernel.value, masks: recurrentMasks))
        return (output, [output])
    }

    public override func config() -> JSONObject {
        var c: JSONObject = ["units": .int(units), "activation": .string(activation.rawValue), "use_bias": .bool(useBias)]
        initializerConfig(into: &c)
        trailingConfig(into: &c)   // Keras's SimpleRNN writes no `seed`
        return c
    }
}

/// Keras's `SimpleRNN` layer: an `RNN` over a `SimpleRNNCell` (weights at `cell/vars`: kernel `(features, units)`,
/// recurrent_kernel `(units, units)`, bias `(units,)`).
public final class SimpleRNN: RNN {
    /// A SimpleRNN layer of `units` units.
    public init(_ units: Int, activation: ActivationFunction = .tanh, useBias: Bool = true, dropout: Double = 0,
                recurrentDropout: Double = 0, returnSequences: Bool = false, returnState: Bool = false, goBackwards: Bool = false, name: String? = nil) {
        super.init(cell: SimpleRNNCell(units: units, activation: activation, useBias: useBias, dropout: dropout,
                                       recurrentDropout: recurrentDropout),
                   returnSequences: returnSequences, returnState: returnState, goBackwards: goBackwards, name: name)
    }

    public required init(from config: ConfigReader) throws {
        try super.init(cell: try SimpleRNNCell(cellConfig: config), config: config)
    }
}
