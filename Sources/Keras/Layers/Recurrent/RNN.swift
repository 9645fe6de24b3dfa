import TensorEngine

/// Keras's `RNN` layer logic, shared by `SimpleRNN`, `LSTM` and `GRU`: runs its cell (or `StackedRNNCells`) over the
/// time axis of inputs shaped `(batch, time, features)`.
///
/// As Keras's backends do: states start at zero; with `go_backwards` the steps run from last to first and the output
/// sequence is in that order; a masked step (mask 0) keeps the previous states and outputs the previous output (or
/// zeros with `zero_output_for_mask`). The input part of every step is one matrix product over all steps; only the
/// recurrent product runs per step. Gradients flow back through the steps by autodiff.
///
/// In a Functional graph the layer is called as Keras's is, `lstm(sequences, initial_state=[h, c])`, and with
/// `returnState` it returns its final states after the output (`output, h, c = LSTM(…, return_state=True)(x)`):
/// ```swift
/// let (encoder, decoder) = (Input(shape: [12, 8]), Input(shape: [10, 4]))
/// let encoded = try LSTM(16, returnState: true)(LayerCall(positional: [encoder]))       // [output, h, c]
/// let decoded = try LSTM(16, returnSequences: true)(LayerCall(positional: [decoder], keywordLists: ["initial_state": Array(encoded.dropFirst())]))
/// ```
open class RNN: Layer, MultiArgumentLayer {
    /// The cell computing one step: a built-in cell (its weights saved under `cell/vars`) or `StackedRNNCells`.
    public let cell: any RNNCell
    /// Whether the output is the whole sequence `(batch, time, units)` rather than the last output `(batch, units)`.
    public let returnSequences: Bool
    /// Whether a call also returns the final states (`h` for SimpleRNN and GRU, `h` and `c` for LSTM).
    public let returnState: Bool
    /// Whether the sequence is read from last step to first (the output sequence is in that order).
    public let goBackwards: Bool
    /// Keras's `unroll`: how Keras compiles the loop; no effect on results here.
    public let unroll: Bool
    /// Whether masked steps output zeros rather than the previous output (Bidirectional sets it).
    public var zeroOutputForMask: Bool

    /// A recurrent layer running `cell`.
    public init(cell: any RNNCell, returnSequences: Bool = false, returnState: Bool = false, goBackwards: Bool = false,
                unroll: Bool = false, zeroOutputForMask: Bool = false, name: String? = nil) {
        self.cell = cell
        self.returnSequences = returnSequences
        self.returnState = returnState
        self.goBackwards = goBackwards
        self.unroll = unroll
        self.zeroOutputForMask = zeroOutputForMask
        super.init(name: name)
    }

    /// Reads the RNN keys of a recurrent layer's config; the subclass has read the cell from the same config.
    public init(cell: any RNNCell, config: ConfigReader) throws {
        self.cell = cell
        returnSequences = config.value("return_sequences", default: false)
        returnState = config.value("return_state", default: false)
        goBackwards = config.value("go_backwards", default: false)
        unroll = config.value("unroll", default: false)
        zeroOutputForMask = config.value("zero_output_for_mask", default: false)
        if config.value("stateful", default: false) {
            config.report("stateful=True is not supported (states carried from batch to batch)")
        }
        if let cudnn = config.object["use_cudnn"], cudnn == .bool(true) {
            config.report("use_cudnn=True asks for a GPU kernel; use \"auto\" or false")
        }
        try super.init(from: config)
    }

    /// SimpleRNN, LSTM and GRU write their cell's keys beside the RNN keys; Keras's `RNN` wrapper writes the cell
    /// as a serialized object under `cell`.
    public override func config() -> JSONObject {
        if type(of: self) != RNN.self, let cell = cell as? RecurrentCell { return cell.layerConfig(rnnKeys: rnnConfig()) }
        var c = rnnConfig()
        c["cell"] = cell.serializedEntry()
        return c
    }

    /// Keras's `RNN` layer around one of the built-in cells, `keras.layers.RNN(keras.layers.LSTMCell(4))`, or a stack
    /// of them, `keras.layers.RNN([LSTMCell(8), GRUCell(4)])` (saved as a `StackedRNNCells`).
    public required convenience init(from config: ConfigReader) throws {
        guard let entry = config.object["cell"], let className = entry.objectValue?["class_name"]?.stringValue else {
            throw ConfigError(issues: ["\(config.context): 'cell' must be a serialized recurrent cell"])
        }
        guard className == "StackedRNNCells" else {
            try self.init(cell: try RecurrentCell.deserialize(entry, context: "\(config.context) cell"), config: config)
            return
        }
        let reader = ConfigReader(entry.objectValue?["config"]?.objectValue ?? JSONObject(), context: "\(config.context) cell (StackedRNNCells)")
        let stack = try StackedRNNCells(from: reader)
        try reader.finish()
        try self.init(cell: stack, config: config)
    }

    /// The output size: the (last) cell's units.
    public var units: Int { cell.stack.last?.units ?? 0 }
    /// The size of each state, flattened over the cells (an LSTM cell has two, `h` and `c`).
    public var stateSizes: [Int] { cell.stack.flatMap { Array(repeating: $0.units, count: $0.stateCount) } }

    open override var sublayers: [(name: String, layer: Layer)] { [("cell", cell)] }
    open override var supportsMasking: Bool { true }

    public override func build(inputShape: [Int]) throws {
        guard inputShape.count == 2 else {
            throw ShapeError("\(displayName) needs inputs of shape (batch, time, features), got \(Shape.describeBatched(inputShape))")
        }
        guard !cell.stack.isEmpty else { throw ShapeError("\(displayName) has no cells") }
        try cell.buildIfNeeded(inputShape: [inputShape[1]])
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 2 else {
            throw ShapeError("\(displayName) needs inputs of shape (batch, time, features), got \(Shape.describeBatched(inputShape))")
        }
        return returnSequences ? [inputShape[0], units] : [units]
    }

    /// The output mask: the input mask when the whole sequence is returned, none otherwise.
    public override func computeMask(_ inputs: Tensor, previousMask: Tensor?) throws -> Tensor? {
        returnSequences ? previousMask : nil
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        try call(inputs, mask: nil, training: training)
    }

    public override func call(_ inputs: Tensor, mask: Tensor?, training: Bool) throws -> Tensor {
        try run(inputs, initialStates: nil, mask: mask, training: training).output
    }

    // MARK: Calls with initial states or returning states (MultiArgumentLayer)

    /// The sequences' shape: initial states take no part in building the layer.
    public func buildShapes(for call: LayerCall<[Int]>) throws -> [[Int]] {
        guard let sequences = call.argument("sequences", at: 0) else { throw ShapeError("\(displayName) needs a sequence input") }
        return [sequences]
    }

    /// The output's shape, then (with `returnState`) one `(units)` shape per state, flattened over stacked cells.
    public func outputShapes(for call: LayerCall<[Int]>) throws -> [[Int]] {
        let output = try outputShape(forInputShape: try buildShapes(for: call)[0])
        if let states = try initialStates(call), states != stateSizes.map({ [$0] }) {
            throw ShapeError("\(displayName): the initial states must have shapes \(stateSizes.map { Shape.describeBatched([$0]) }.joined(separator: ", ")), got \(states.map(Shape.describeBatched).joined(separator: ", "))")
        }
        return [output] + (returnState ? stateSizes.map { [$0] } : [])
    }

    /// Runs the layer from `initial_state` (zeros when absent); returns the output, then the final states with
    /// `returnState`. As Keras's `Layer.__call__` does, the mask the sequences carry is applied only when they are the
    /// call's one tensor argument; with initial states, only a mask given by keyword (`mask=`) is.
    public func call(_ call: LayerCall<Tensor>, masks: LayerCall<Tensor?>, training: Bool) throws -> [Tensor] {
        guard let sequences = call.argument("sequences", at: 0) else { throw ShapeError("\(displayName) needs a sequence input") }
        let initial = try initialStates(call)
        let mask = call.keywords["mask"] ?? (initial == nil ? masks.positional.first ?? nil : nil)
        let (output, states) = try run(sequences, initialStates: initial, mask: mask, training: training)
        return [output] + (returnState ? states : [])
    }

    /// With `returnSequences`, the mask given by keyword, else the one the sequences carry (even when the call did
    /// not apply it: Keras sets the output mask from the first argument's).
    public func outputMask(_ call: LayerCall<Tensor>, masks: LayerCall<Tensor?>) throws -> Tensor? {
        returnSequences ? call.keywords["mask"] ?? masks.positional.first ?? nil : nil
    }

    /// Stacked cells' `initial_state` is written as Keras takes it: one list per cell (`[[h₁, c₁], [h₂]]`).
    public func keywordListJSON(_ keyword: String, items: [JSON]) -> JSON {
        keyword == "initial_state" ? .array(groupedStates(items)) : .array(items)
    }

    /// `states` (flattened) grouped one list per cell when the cells are stacked, unchanged otherwise.
    func groupedStates(_ states: [JSON]) -> [JSON] {
        guard cell is StackedRNNCells, states.count == stateSizes.count else { return states }
        var rest = states[...]
        return cell.stack.map { c in
            defer { rest = rest.dropFirst(c.stateCount) }
            return .array(Array(rest.prefix(c.stateCount)))
        }
    }

    /// `initial_state` given by keyword (a list, or one tensor; flattened over stacked cells), checked against the
    /// number of states.
    private func initialStates<Value>(_ call: LayerCall<Value>) throws -> [Value]? {
        guard let states = call.keywordLists["initial_state"] ?? call.keywords["initial_state"].map({ [$0] }) else { return nil }
        guard states.count == stateSizes.count else {
            throw ShapeError("\(displayName) takes \(stateSizes.count) initial state(s), got \(states.count)")
        }
        return states
    }

    /// The recurrence: the output (last or whole sequence) and the final states. Stacked cells run one after the
    /// other over the whole sequence, each reading the previous one's outputs (the same numbers as Keras's cell-by-cell
    /// steps: a masked step keeps every cell's states and the last cell's previous output).
    func run(_ inputs: Tensor, initialStates: [Tensor]?, mask: Tensor?, training: Bool) throws -> (output: Tensor, states: [Tensor]) {
        guard inputs.rank == 3 else { throw ShapeError("\(displayName) needs inputs of shape (batch, time, features), got \(inputs.shape)") }
        let (batch, time) = (inputs.shape[0], inputs.shape[1])
        if let mask, mask.shape != [batch, time] {
            throw ShapeError("\(displayName): mask of shape \(mask.shape) does not match inputs of shape \(inputs.shape)")
        }
        if let initialStates, initialStates.count != stateSizes.count {
            throw ShapeError("\(displayName) takes \(stateSizes.count) initial state(s), got \(initialStates.count)")
        }
        if let initialStates, let (bad, size) = zip(initialStates, stateSizes).first(where: { $0.shape != [batch, $1] }) {
            throw ShapeError("\(displayName): initial state of shape \(bad.shape) does not match a batch of \(batch) and \(size) units")
        }
        // Time-major (time, batch, features), in the order the steps run.
        var sequence = inputs.transposed([1, 0, 2])
        var stepMasks = mask?.transposed().reshaped(to: [time, batch, 1]).unstacked()
        if goBackwards {
            sequence = sequence.reversed(alongAxis: 0)
            stepMasks?.reverse()
        }
        var states: [Tensor] = [], outputs: [Tensor] = []
        for (k, cell) in cell.stack.enumerated() {
            let first = states.count
            let initial = initialStates.map { Array($0[first..<first + cell.stateCount]) }
                ?? [Tensor](repeating: .zeros([batch, cell.units]), count: cell.stateCount)
            let isLast = k == self.cell.stack.count - 1
            if k > 0 { sequence = Tensor.concatenate(outputs.map { $0.reshaped(to: [1, batch, $0.shape[1]]) }, alongAxis: 0) }
            let scanned = try scan(cell, sequence, states: initial, stepMasks: stepMasks, allOutputs: !isLast || returnSequences, training: training)
            outputs = scanned.outputs
            states += scanned.states
        }
        guard returnSequences else { return (outputs.last ?? .zeros([batch, units]), states) }
        return (Tensor.concatenate(outputs.map { $0.reshaped(to: [batch, 1, units]) }, alongAxis: 1), states)
    }

    /// One cell over the time-major `sequence` from `states`: the outputs of the steps in order (only the last unless
    /// `allOutputs`) and the final states. A masked step keeps the states and outputs the previous output (zeros with
    /// `zeroOutputForMask`).
    private func scan(_ cell: RecurrentCell, _ sequence: Tensor, states initial: [Tensor], stepMasks: [Tensor]?, allOutputs: Bool,
                      training: Bool) throws -> (outputs: [Tensor], states: [Tensor]) {
        let (time, batch, features) = (sequence.shape[0], sequence.shape[1], sequence.shape[2])
        let inputMasks = cell.dropoutMasks(rate: cell.dropout, shape: [1, batch, features], training: training)
        let recurrentMasks = cell.dropoutMasks(rate: cell.recurrentDropout, shape: [batch, cell.units], training: training)
        // The inputs of all steps projected at once give each step's (batch, gates·units) slice.
        let projected = try cell.projectInputs(sequence, dropoutMasks: inputMasks).unstacked()
        var states = initial
        var outputs: [Tensor] = []
        for t in 0..<time {
            var (output, newStates) = try cell.step(projected[t], states: states, recurrentMasks: recurrentMasks)
            if let stepMasks {
                let keep = stepMasks[t]
                let skip = Tensor(1) - keep
                output = keep * output + skip * (zeroOutputForMask ? Tensor.zeros(output.shape) : states[0])
                newStates = zip(newStates, states).map { new, old in keep * new + skip * old }
            }
            states = newStates
            if allOutputs || t == time - 1 { outputs.append(output) }
        }
        return (outputs, states)
    }

    /// The RNN keys of the config, in Keras's order, before the cell's keys.
    func rnnConfig() -> JSONObject {
        ["return_sequences": .bool(returnSequences), "return_state": .bool(returnState), "go_backwards": .bool(goBackwards),
         "stateful": .bool(false), "unroll": .bool(unroll), "zero_output_for_mask": .bool(zeroOutputForMask)]
    }
}
