import TensorEngine

/// What Keras's recurrent cells (`SimpleRNNCell`, `LSTMCell`, `GRUCell`) share: `units`, the activations, the
/// initializers, and input / recurrent dropout (Keras's `DropoutRNNCell`).
///
/// A cell computes one time step. The `RNN` layer that drives it first projects the inputs of all time steps with
/// one matrix product (`projectInputs`), then calls `step` once per time step with that step's projection.
open class RecurrentCell: Layer {
    /// The size of the output and of each state.
    public let units: Int
    /// The activation of the candidate / output (Keras's `activation`, `tanh` by default).
    public let activation: ActivationFunction
    /// Whether the cell has a bias.
    public let useBias: Bool
    /// How the input kernel is initialised (Glorot uniform by default).
    public let kernelInitializer: Initializer
    /// How the recurrent kernel is initialised (orthogonal by default).
    public let recurrentInitializer: Initializer
    /// How the bias is initialised (zeros by default).
    public let biasInitializer: Initializer
    /// The fraction of the inputs dropped in training (one mask per sequence, shared by its time steps).
    public let dropout: Double
    /// The fraction of the recurrent state dropped in training.
    public let recurrentDropout: Double
    /// The seed of the dropout masks, if fixed.
    public let seed: Int?
    /// The `(input_dim, gates·units)` input kernel, once built.
    public internal(set) var kernel: Variable?
    /// The `(units, gates·units)` recurrent kernel, once built.
    public internal(set) var recurrentKernel: Variable?
    /// The bias, once built, when `useBias`.
    public internal(set) var bias: Variable?

    /// The number of gates whose kernels sit side by side in `kernel` (1, LSTM 4, GRU 3).
    open class var gateCount: Int { 1 }
    /// The number of states carried from step to step (LSTM 2: `h` and `c`).
    open var stateCount: Int { 1 }

    /// Reads the keys every cell has from a recurrent layer's config.
    public init(cellConfig config: ConfigReader) throws {
        units = config.require("units")
        if units <= 0 { config.report("units must be positive, found \(units)") }
        activation = config.value("activation", default: .tanh)
        useBias = config.value("use_bias", default: true)
        kernelInitializer = config.value("kernel_initializer", default: .glorotUniform)
        recurrentInitializer = config.value("recurrent_initializer", default: .orthogonal(gain: 1, seed: nil))
        biasInitializer = config.value("bias_initializer", default: .zeros)
        dropout = min(1, max(0, config.value("dropout", default: 0.0)))
        recurrentDropout = min(1, max(0, config.value("recurrent_dropout", default: 0.0)))
        seed = config.optional("seed")
        config.refuseSetKeys(["kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
                              "kernel_constraint", "recurrent_constraint", "bias_constraint"])
        try super.init(from: config)
        if let seed { rng = RandomGenerator(seed: UInt64(bitPattern: Int64(seed))) }
    }

    /// A cell built in Swift.
    public init(units: Int, activation: ActivationFunction, useBias: Bool, kernelInitializer: Initializer,
                recurrentInitializer: Initializer, biasInitializer: Initializer, dropout: Double, recurrentDropout: Double,
                seed: Int?, name: String?) {
        self.units = units
        self.activation = activation
        self.useBias = useBias
        self.kernelInitializer = kernelInitializer
        self.recurrentInitializer = recurrentInitializer
        self.biasInitializer = biasInitializer
        self.dropout = min(1, max(0, dropout))
        self.recurrentDropout = min(1, max(0, recurrentDropout))
        self.seed = seed
        super.init(name: name)
        if let seed { rng = RandomGenerator(seed: UInt64(bitPattern: Int64(seed))) }
    }

    public required init(from config: ConfigReader) throws {
        throw ConfigError("a recurrent cell is read by its recurrent layer (LSTM, GRU, SimpleRNN)")
    }

    /// Creates `kernel` `(input_dim, gates·units)` and `recurrent_kernel` `(units, gates·units)` in Keras's order;
    /// subclasses add the bias.
    public override func build(inputShape: [Int]) throws {
        guard inputShape.count == 1, let inputDim = inputShape.first else {
            throw ShapeError("\(displayName) takes one time step of shape (batch, features), got \(Shape.describeBatched(inputShape))")
        }
        kernel = try addWeight(name: "kernel", shape: [inputDim, units * Self.gateCount], initializer: kernelInitializer)
        recurrentKernel = try addWeight(name: "recurrent_kernel", shape: [units, units * Self.gateCount], initializer: recurrentInitializer)
    }

    /// Keras's `implementation=1`, which a recurrent dropout selects: each gate gets its own dropout masks and its
    /// own matrix products.
    public var masksPerGate: Bool { recurrentDropout > 0 && Self.gateCount > 1 }

    /// The dropout masks for one sequence batch (`nil` outside training or without dropout): `rate` drops, the rest is
    /// scaled by `1 / (1 − rate)`; one mask, or one per gate with `masksPerGate`.
    func dropoutMasks(rate: Double, shape: [Int], training: Bool) -> [Tensor]? {
        guard training, rate > 0, rate < 1 else { return nil }
        return (0..<(masksPerGate ? Self.gateCount : 1)).map { _ in rng.dropoutMask(shape: shape, keepProbability: Float(1 - rate)) }
    }

    /// `x · kernel`, each gate's columns from the inputs times that gate's dropout mask when there are masks.
    func gateProducts(_ x: Tensor, _ kernel: Tensor, masks: [Tensor]?) -> Tensor {
        guard let masks else { return x.matmul(kernel) }
        guard masks.count > 1 else { return (x * masks[0]).matmul(kernel) }
        return Tensor.concatenate(masks.enumerated().map { g, mask in (x * mask).matmul(gate(g, of: kernel)) }, alongAxis: -1)
    }

    /// Columns `g·units ..< (g+1)·units` of a kernel or bias (the last axis).
    func gate(_ g: Int, of t: Tensor, count: Int = 1) -> Tensor {
        t.slice(alongAxis: -1, from: g * units, count: count * units)
    }

    /// The input part of every time step at once: `inputs · kernel` (+ the input bias), for time-major inputs of
    /// shape `(time, batch, features)` and masks of shape `(1, batch, features)`. One matrix product over all steps.
    open func projectInputs(_ inputs: Tensor, dropoutMasks masks: [Tensor]?) throws -> Tensor {
        guard let kernel else { throw ShapeError("\(displayName) was called before it was built") }
        let projected = gateProducts(inputs, kernel.value, masks: masks)
        return inputBias.map { projected + $0 } ?? projected
    }

    /// The bias added to the projected inputs (GRU with `reset_after` has a second, recurrent one).
    open var inputBias: Tensor? { bias?.value }

    /// One time step: `projected` is this step's `projectInputs` slice `(batch, gates·units)`, `states` the previous
    /// states, `recurrentMasks` the recurrent dropout masks. Returns the step's output and new states.
    open func step(_ projected: Tensor, states: [Tensor], recurrentMasks: [Tensor]?) throws -> (output: Tensor, states: [Tensor]) {
        throw ShapeError("\(displayName) does not implement step")
    }

    /// The initializer keys every cell writes, in Keras's order.
    func initializerConfig(into c: inout JSONObject) {
        c["kernel_initializer"] = kernelInitializer.serialized
        c["recurrent_initializer"] = recurrentInitializer.serialized
        c["bias_initializer"] = biasInitializer.serialized
    }

    /// The regularizer, constraint, dropout and seed keys, in Keras's order.
    func trailingConfig(into c: inout JSONObject) {
        for key in ["kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
                    "kernel_constraint", "recurrent_constraint", "bias_constraint"] { c[key] = .null }
        c["dropout"] = .double(dropout)
        c["recurrent_dropout"] = .double(recurrentDropout)
    }

    /// A recurrent layer's config: the RNN keys `rnnKeys`, then the cell's.
    func layerConfig(rnnKeys: JSONObject) -> JSONObject {
        var c = rnnKeys
        for (key, value) in config() { c[key] = value }
        return c
    }
}
