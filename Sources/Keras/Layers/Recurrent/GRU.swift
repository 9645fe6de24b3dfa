import TensorEngine

/// Keras's `GRUCell`, gates in the order update `z`, reset `r`, candidate `h̃`:
/// `h' = z·h + (1 − z)·activation(x·W_h + r ⊙ (h·U_h + b_h))` with `reset_after` (the default, cuDNN's form; the
/// bias is `(2, 3·units)`: input bias, recurrent bias), or `activation(x·W_h + (r·h)·U_h)` without it.
public final class GRUCell: RecurrentCell {
    /// The activation of the gates (`sigmoid` by default).
    public let recurrentActivation: ActivationFunction
    /// Whether the reset gate applies after the recurrent product (Keras 3's default) or before it.
    public let resetAfter: Bool

    public override class var gateCount: Int { 3 }

    /// Reads the cell's keys from a `GRU` config.
    public override init(cellConfig config: ConfigReader) throws {
        recurrentActivation = config.value("recurrent_activation", default: .sigmoid)
        resetAfter = config.value("reset_after", default: true)
        try super.init(cellConfig: config)
    }

    /// A cell of `units` units.
    public init(units: Int, activation: ActivationFunction = .tanh, recurrentActivation: ActivationFunction = .sigmoid,
                useBias: Bool = true, kernelInitializer: Initializer = .glorotUniform,
                recurrentInitializer: Initializer = .orthogonal(gain: 1, seed: nil), biasInitializer: Initializer = .zeros,
                dropout: Double = 0, recurrentDropout: Double = 0, resetAfter: Bool = true, seed: Int? = nil) {
        self.recurrentActivation = recurrentActivation
        self.resetAfter = resetAfter
        super.init(units: units, activation: activation, useBias: useBias, kernelInitializer: kernelInitializer,
                   recurrentInitializer: recurrentInitializer, biasInitializer: biasInitializer, dropout: dropout,
                   recurrentDropout: recurrentDropout, seed: seed, name: "gru_cell")
    }

    public required init(from config: ConfigReader) throws {
        throw ConfigError("a GRUCell is read by its GRU layer")
    }

    public override func build(inputShape: [Int]) throws {
        try super.build(inputShape: inputShape)
        if useBias { bias = try addWeight(name: "bias", shape: resetAfter ? [2, units * 3] : [units * 3], initializer: biasInitializer) }
    }

    public override var inputBias: Tensor? {
        guard let bias else { return nil }
        return resetAfter ? bias.value.slice(alongAxis: 0, from: 0, count: 1).reshaped(to: [units * 3]) : bias.value
    }

    /// The bias added to the recurrent product with `reset_after`.
    var recurrentBias: Tensor? {
        guard resetAfter, let bias else { return nil }
        return bias.value.slice(alongAxis: 0, from: 1, count: 1).reshaped(to: [units * 3])
    }

    public override func step(_ projected: Tensor, states: [Tensor], recurrentMasks: [Tensor]?) throws -> (output: Tensor, states: [Tensor]) {
        guard let recurrentKernel else { throw ShapeError("\(displayName) was called before it was built") }
        let h = states[0]
        let hz = recurrentMasks.map { h * $0[0] } ?? h
        let hr = recurrentMasks.map { h * $0[1 % $0.count] } ?? h
        let hh = recurrentMasks.map { h * $0[2 % $0.count] } ?? h
        let u = recurrentKernel.value
        let z: Tensor, r: Tensor, candidate: Tensor
        if resetAfter {
            // One product for all three gates when no per-gate masks apply (Keras's implementation 2).
            let inner = recurrentMasks == nil ? h.matmul(u)
                : Tensor.concatenate([hz.matmul(gate(0, of: u)), hr.matmul(gate(1, of: u)), hh.matmul(gate(2, of: u))], alongAxis: -1)
            let recurrent = recurrentBias.map { inner + $0 } ?? inner
            z = recurrentActivation(gate(0, of: projected) + gate(0, of: recurrent))
            r = recurrentActivation(gate(1, of: projected) + gate(1, of: recurrent))
            candidate = activation(gate(2, of: projected) + r * gate(2, of: recurrent))
        } else {
            let inner = recurrentMasks == nil ? h.matmul(gate(0, of: u, count: 2))
                : Tensor.concatenate([hz.matmul(gate(0, of: u)), hr.matmul(gate(1, of: u))], alongAxis: -1)
            z = recurrentActivation(gate(0, of: projected) + gate(0, of: inner))
            r = recurrentActivation(gate(1, of: projected) + gate(1, of: inner))
            candidate = activation(gate(2, of: projected) + (r * hh).matmul(gate(2, of: u)))
        }
        let newH = z * h + (Tensor(1) - z) * candidate
        return (newH, [newH])
    }

    public override func config() -> JSONObject {
        var c: JSONObject = ["units": .int(units), "activation": .string(activation.rawValue),
                             "recurrent_activation": .string(recurrentActivation.rawValue), "use_bias": .bool(useBias)]
        initializerConfig(into: &c)
        trailingConfig(into: &c)
        c["reset_after"] = .bool(resetAfter)
        c["seed"] = seed.map { .int($0) } ?? .null
        return c
    }
}

/// Keras's `GRU` layer: an `RNN` over a `GRUCell` (weights at `cell/vars`: kernel `(features, 3·units)`,
/// recurrent_kernel `(units, 3·units)`, bias `(2, 3·units)` with `reset_after`, `(3·units,)` without).
public final class GRU: RNN {
    /// A GRU layer of `units` units.
    public init(_ units: Int, activation: ActivationFunction = .tanh, recurrentActivation: ActivationFunction = .sigmoid,
                useBias: Bool = true, dropout: Double = 0, recurrentDropout: Double = 0, resetAfter: Bool = true,
                returnSequences: Bool = false, returnState: Bool = false, goBackwards: Bool = false, name: String? = nil) {
        super.init(cell: GRUCell(units: units, activation: activation, recurrentActivation: recurrentActivation, useBias: useBias,
                                 dropout: dropout, recurrentDropout: recurrentDropout, resetAfter: resetAfter),
                   returnSequences: returnSequences, returnState: returnState, goBackwards: goBackwards, name: name)
    }

    public required init(from config: ConfigReader) throws {
        try super.init(cell: try GRUCell(cellConfig: config), config: config)
    }
}
