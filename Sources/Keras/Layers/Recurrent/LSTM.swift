import TensorEngine

/// Keras's `LSTMCell`: `z = x·W + h·U + b` split into the input, forget, cell and output gates `i f c o`;
/// `c' = f·c + i·activation(c̃)`, `h' = o·activation(c')`. `unit_forget_bias` starts the forget gate's bias at 1.
public final class LSTMCell: RecurrentCell {
    /// The activation of the gates (`sigmoid` by default).
    public let recurrentActivation: ActivationFunction
    /// Whether the forget gate's bias starts at 1 (Keras's `unit_forget_bias`).
    public let unitForgetBias: Bool

    public override class var gateCount: Int { 4 }
    public override var stateCount: Int { 2 }

    /// Reads the cell's keys from an `LSTM` config.
    public override init(cellConfig config: ConfigReader) throws {
        recurrentActivation = config.value("recurrent_activation", default: .sigmoid)
        unitForgetBias = config.value("unit_forget_bias", default: true)
        try super.init(cellConfig: config)
    }

    /// A cell of `units` units.
    public init(units: Int, activation: ActivationFunction = .tanh, recurrentActivation: ActivationFunction = .sigmoid,
                useBias: Bool = true, kernelInitializer: Initializer = .glorotUniform,
                recurrentInitializer: Initializer = .orthogonal(gain: 1, seed: nil), biasInitializer: Initializer = .zeros,
                unitForgetBias: Bool = true, dropout: Double = 0, recurrentDropout: Double = 0, seed: Int? = nil) {
        self.recurrentActivation = recurrentActivation
        self.unitForgetBias = unitForgetBias
        super.init(units: units, activation: activation, useBias: useBias, kernelInitializer: kernelInitializer,
                   recurrentInitializer: recurrentInitializer, biasInitializer: biasInitializer, dropout: dropout,
                   recurrentDropout: recurrentDropout, seed: seed, name: "lstm_cell")
    }

    public required init(from config: ConfigReader) throws {
        throw ConfigError("an LSTMCell is read by its LSTM layer")
    }

    public override func build(inputShape: [Int]) throws {
        try super.build(inputShape: inputShape)
        guard useBias else { return }
        let b = try addWeight(name: "bias", shape: [units * 4], initializer: biasInitializer)
        if unitForgetBias && Layer.weightsFromFile == nil {
            // Keras: concatenate(bias_initializer(units), ones(units), bias_initializer(2·units)).
            try b.assign(Tensor.concatenate([try biasInitializer([units], rng: &rng), .ones([units]),
                                             try biasInitializer([units * 2], rng: &rng)], alongAxis: 0))
        }
        bias = b
    }

    public override func step(_ projected: Tensor, states: [Tensor], recurrentMasks: [Tensor]?) throws -> (output: Tensor, states: [Tensor]) {
        guard let recurrentKernel else { throw ShapeError("\(displayName) was called before it was built") }
        let (h, c) = (states[0], states[1])
        let z = projected + gateProducts(h, recurrentKernel.value, masks: recurrentMasks)
        let i = recurrentActivation(gate(0, of: z))
        let f = recurrentActivation(gate(1, of: z))
        let newC = f * c + i * activation(gate(2, of: z))
        let o = recurrentActivation(gate(3, of: z))
        let newH = o * activation(newC)
        return (newH, [newH, newC])
    }

    public override func config() -> JSONObject {
        var c: JSONObject = ["units": .int(units), "activation": .string(activation.rawValue),
                             "recurrent_activation": .string(recurrentActivation.rawValue)]
        c["use_bias"] = .bool(useBias)
        c["unit_forget_bias"] = .bool(unitForgetBias)
        initializerConfig(into: &c)
        trailingConfig(into: &c)
        c["seed"] = seed.map { .int($0) } ?? .null
        return c
    }
}

/// Keras's `LSTM` layer: an `RNN` over an `LSTMCell` (weights at `cell/vars`: kernel `(features, 4·units)`,
/// recurrent_kernel `(units, 4·units)`, bias `(4·units,)`, gates in the order i f c o).
public final class LSTM: RNN {
    /// An LSTM layer of `units` units.
    public init(_ units: Int, activation: ActivationFunction = .tanh, recurrentActivation: ActivationFunction = .sigmoid,
                useBias: Bool = true, unitForgetBias: Bool = true, dropout: Double = 0, recurrentDropout: Double = 0,
                returnSequences: Bool = false, returnState: Bool = false, goBackwards: Bool = false, name: String? = nil) {
        super.init(cell: LSTMCell(units: units, activation: activation, recurrentActivation: recurrentActivation, useBias: useBias,
                                  unitForgetBias: unitForgetBias, dropout: dropout, recurrentDropout: recurrentDropout),
                   returnSequences: returnSequences, returnState: returnState, goBackwards: goBackwards, name: name)
    }

    public required init(from config: ConfigReader) throws {
        try super.init(cell: try LSTMCell(cellConfig: config), config: config)
    }

}
