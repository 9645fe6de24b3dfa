import TensorEngine

/// Keras's `Bidirectional`: runs a recurrent layer forwards and a copy (or a given `backward_layer`) backwards over
/// the same inputs and merges the two outputs (`concat`, `sum`, `mul` or `ave`). With `return_sequences` the backward
/// output is flipped back into time order first, and masked steps output zeros in both directions (Keras forces
/// `zero_output_for_mask`). Weights live at `forward_layer/cell/vars` and `backward_layer/cell/vars`.
///
/// With `return_state` a call returns `[output, *forward_states, *backward_states]`, and `initial_state` is split in
/// half (the forward layer's states, then the backward layer's), as Keras does:
/// ```swift
/// let encoded = try Bidirectional(LSTM(16, returnState: true))(LayerCall(positional: [encoderInputs]))  // [output, fh, fc, bh, bc]
/// ```
public final class Bidirectional: Layer, MultiArgumentLayer {
    /// How the two directions' outputs are merged.
    public enum MergeMode: String, Sendable, CaseIterable, ConfigDecodable {
        /// The two outputs concatenated along the last axis.
        case concat
        /// Their sum.
        case sum
        /// Their product.
        case mul
        /// Their mean.
        case ave

        public init(configValue json: JSON) throws(ConfigValueError) {
            guard let name = json.stringValue, let mode = MergeMode(rawValue: name) else {
                throw .expected("one of \(MergeMode.allCases.map(\.rawValue).joined(separator: ", "))", found: json)
            }
            self = mode
        }
        public static var placeholder: MergeMode { .concat }
        public static var configTypeName: String { "a merge mode" }
    }

    /// The layer reading the sequence forwards (named `forward_<name>`).
    public let forwardLayer: RNN
    /// The layer reading it backwards (named `backward_<name>`).
    public let backwardLayer: RNN
    /// How the two outputs are combined.
    public let mergeMode: MergeMode

    /// Wraps `layer`; the backward layer is `backwardLayer`, or a copy of `layer` that runs backwards.
    public init(_ layer: RNN, mergeMode: MergeMode = .concat, backwardLayer: RNN? = nil, name: String? = nil) throws {
        forwardLayer = try Self.renamed(layer, prefix: "forward_")
        self.backwardLayer = try backwardLayer ?? Self.renamed(try Self.reversedCopy(of: layer), prefix: "backward_")
        self.mergeMode = mergeMode
        super.init(name: name)
        try checkDirections()
    }

    public required init(from config: ConfigReader) throws {
        mergeMode = config.value("merge_mode", default: .concat)
        if config.object["merge_mode"] == .null { config.report("merge_mode=None (two outputs) is not supported yet") }
        let forward = config.nestedLayer("layer")
        let backward = config.object["backward_layer"].map { $0 == .null ? nil : config.nestedLayer("backward_layer") } ?? nil
        guard let forward = forward as? RNN else {
            if forward != nil { config.report("'layer' must be a recurrent layer (SimpleRNN, LSTM, GRU), found \(type(of: forward!).kerasClassName)") }
            try config.finish()
            throw ConfigError("\(config.context): no forward layer")
        }
        forwardLayer = forward
        if let backward {
            guard let rnn = backward as? RNN else {
                config.report("'backward_layer' must be a recurrent layer, found \(type(of: backward).kerasClassName)")
                try config.finish()
                throw ConfigError("\(config.context): no backward layer")
            }
            backwardLayer = rnn
        } else {
            // Keras 2 files write no backward_layer unless a custom one was given: the copy runs backwards.
            backwardLayer = try Self.renamed(try Self.reversedCopy(of: forward), prefix: "backward_")
        }
        try super.init(from: config)
        try checkDirections()
    }

    /// As Keras: opposite directions, the same `return_sequences`; masked steps output zeros when sequences are returned.
    private func checkDirections() throws {
        guard forwardLayer.goBackwards != backwardLayer.goBackwards else {
            throw ConfigError("\(displayName): the forward and backward layers must have different go_backwards values")
        }
        guard forwardLayer.returnSequences == backwardLayer.returnSequences, forwardLayer.returnState == backwardLayer.returnState else {
            throw ConfigError("\(displayName): the forward and backward layers must have the same return_sequences and return_state")
        }
        forwardLayer.zeroOutputForMask = forwardLayer.returnSequences
        backwardLayer.zeroOutputForMask = backwardLayer.returnSequences
    }

    /// `layer` with `prefix` before its name (Keras names the two directions `forward_lstm` and `backward_lstm`).
    private static func renamed(_ layer: RNN, prefix: String) throws -> RNN {
        let base = layer.name.isEmpty ? snakeCase(type(of: layer).kerasClassName) : layer.name
        if !base.hasPrefix(prefix) { layer.name = prefix + base }
        return layer
    }

    /// A new layer with `layer`'s config and the opposite `go_backwards` (fresh weights, as Keras makes them).
    private static func reversedCopy(of layer: RNN) throws -> RNN {
        var config = layer.serializedConfig()
        config["go_backwards"] = .bool(!layer.goBackwards)
        config["name"] = .string(layer.name.replacingOccurrences(of: "forward_", with: ""))
        let reader = ConfigReader(config, context: "the backward copy of \(layer.displayName)")
        let copy = try type(of: layer).init(from: reader)
        try reader.finish()
        return copy
    }

    public override var sublayers: [(name: String, layer: Layer)] { [("forward_layer", forwardLayer), ("backward_layer", backwardLayer)] }
    public override var supportsMasking: Bool { true }

    public override func computeMask(_ inputs: Tensor, previousMask: Tensor?) throws -> Tensor? {
        forwardLayer.returnSequences ? previousMask : nil
    }

    public override func build(inputShape: [Int]) throws {
        try forwardLayer.buildIfNeeded(inputShape: inputShape)
        try backwardLayer.buildIfNeeded(inputShape: inputShape)
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        var shape = try forwardLayer.outputShape(forInputShape: inputShape)
        let backward = try backwardLayer.outputShape(forInputShape: inputShape)
        if mergeMode == .concat {
            shape[shape.count - 1] += backward[backward.count - 1]
        } else if shape != backward {
            throw ShapeError("\(displayName): merge_mode '\(mergeMode.rawValue)' needs outputs of the same shape, got \(shape) and \(backward)")
        }
        return shape
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        try call(inputs, mask: nil, training: training)
    }

    public override func call(_ inputs: Tensor, mask: Tensor?, training: Bool) throws -> Tensor {
        merged(try forwardLayer(inputs, mask: mask, training: training), try backwardLayer(inputs, mask: mask, training: training))
    }

    /// The two directions' outputs merged, the backward sequence flipped back into time order first.
    private func merged(_ y: Tensor, _ backward: Tensor) -> Tensor {
        let yReversed = backwardLayer.returnSequences ? backward.reversed(alongAxis: 1) : backward
        switch mergeMode {
        case .concat: return Tensor.concatenate([y, yReversed], alongAxis: -1)
        case .sum: return y + yReversed
        case .mul: return y * yReversed
        case .ave: return (y + yReversed) / 2
        }
    }

    // MARK: Calls with initial states or returning states (MultiArgumentLayer)

    /// The sequences' shape: initial states take no part in building the layer.
    public func buildShapes(for call: LayerCall<[Int]>) throws -> [[Int]] {
        guard let sequences = call.argument("sequences", at: 0) else { throw ShapeError("\(displayName) needs a sequence input") }
        return [sequences]
    }

    /// The merged output's shape, then (with `return_state`) the forward layer's state shapes and the backward layer's.
    public func outputShapes(for call: LayerCall<[Int]>) throws -> [[Int]] {
        let output = try outputShape(forInputShape: try buildShapes(for: call)[0])
        let stateShapes = (forwardLayer.stateSizes + backwardLayer.stateSizes).map { [$0] }
        if let states = try initialStates(call), states != stateShapes {
            throw ShapeError("\(displayName): the initial states must have shapes \(stateShapes.map(Shape.describeBatched).joined(separator: ", ")), got \(states.map(Shape.describeBatched).joined(separator: ", "))")
        }
        return [output] + (forwardLayer.returnState ? stateShapes : [])
    }

    /// Runs both directions, the forward one from the first half of `initial_state` and the backward one from the
    /// second; returns the merged output, then the final states with `return_state`. The sequences' mask applies as
    /// for a recurrent layer (only without initial states, unless given by keyword).
    public func call(_ call: LayerCall<Tensor>, masks: LayerCall<Tensor?>, training: Bool) throws -> [Tensor] {
        guard let sequences = call.argument("sequences", at: 0) else { throw ShapeError("\(displayName) needs a sequence input") }
        let initial = try initialStates(call)
        let mask = call.keywords["mask"] ?? (initial == nil ? masks.positional.first ?? nil : nil)
        let half = (initial?.count ?? 0) / 2
        let forward = try forwardLayer.run(sequences, initialStates: initial.map { Array($0.prefix(half)) }, mask: mask, training: training)
        let backward = try backwardLayer.run(sequences, initialStates: initial.map { Array($0.dropFirst(half)) }, mask: mask, training: training)
        return [merged(forward.output, backward.output)] + (forwardLayer.returnState ? forward.states + backward.states : [])
    }

    /// With `return_sequences`, the mask given by keyword, else the one the sequences carry.
    public func outputMask(_ call: LayerCall<Tensor>, masks: LayerCall<Tensor?>) throws -> Tensor? {
        forwardLayer.returnSequences ? call.keywords["mask"] ?? masks.positional.first ?? nil : nil
    }

    /// `initial_state` as Keras takes it: the forward layer's states, then the backward layer's (one list per cell
    /// for stacked cells).
    public func keywordListJSON(_ keyword: String, items: [JSON]) -> JSON {
        guard keyword == "initial_state" else { return .array(items) }
        let half = items.count / 2
        return .array(forwardLayer.groupedStates(Array(items.prefix(half))) + backwardLayer.groupedStates(Array(items.dropFirst(half))))
    }

    /// `initial_state` given by keyword: every state of the forward layer, then of the backward layer.
    private func initialStates<Value>(_ call: LayerCall<Value>) throws -> [Value]? {
        guard let states = call.keywordLists["initial_state"] ?? call.keywords["initial_state"].map({ [$0] }) else { return nil }
        let expected = forwardLayer.stateSizes.count + backwardLayer.stateSizes.count
        guard states.count == expected, forwardLayer.stateSizes.count == backwardLayer.stateSizes.count else {
            throw ShapeError("\(displayName) takes \(expected) initial states (the forward layer's, then the backward layer's), got \(states.count)")
        }
        return states
    }

    public override func config() -> JSONObject {
        ["merge_mode": .string(mergeMode.rawValue), "layer": forwardLayer.serializedEntry(), "backward_layer": backwardLayer.serializedEntry()]
    }
}
