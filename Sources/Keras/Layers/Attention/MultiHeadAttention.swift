import Foundation
import TensorEngine

/// Keras's `MultiHeadAttention`: projects `query`, `key` and `value` into `num_heads` heads with `EinsumDense` layers,
/// takes the softmax of the scaled query–key products over `attention_axes` (masked by the inputs' padding masks,
/// `attention_mask` and `use_causal_mask`), mixes the values with those scores, and projects back to `output_shape`.
///
/// Called as Keras's layer is: `mha(query, value)`, with `key`, `attention_mask`, `use_causal_mask` and
/// `return_attention_scores` by keyword (see `LayerCall`); with `return_attention_scores` it returns the scores too.
public final class MultiHeadAttention: Layer, MultiArgumentLayer {
    /// The number of attention heads.
    public let numHeads: Int
    /// The size of each head for queries and keys (Keras's `key_dim`).
    public let keyDim: Int
    /// The size of each head for values (Keras's `value_dim`, `key_dim` when not given).
    public let valueDim: Int
    /// The fraction of attention scores dropped in training.
    public let dropout: Double
    /// Whether a bias is added.
    public let useBias: Bool
    /// Multiplies the attention output by a sigmoid gate computed from the query (Keras's `use_gate`).
    public let useGate: Bool
    /// The last axes of the output (the query's last axis when nil).
    public let outputShapeOption: [Int]?
    /// The axes attention runs over, as configured (nil: all axes between batch and features); normalized at build.
    public private(set) var attentionAxes: [Int]?
    /// Each query position attends only to keys fewer than this many positions away (Keras's `sliding_window`).
    public let slidingWindow: Int?
    /// The seed of the dropout draws, if fixed.
    public let seed: Int?
    /// The projections, once built.
    public private(set) var queryDense: EinsumDense?
    /// The key projection, once built (saved as `key_dense`).
    public private(set) var keyDense: EinsumDense?
    /// The value projection, once built (saved as `value_dense`).
    public private(set) var valueDense: EinsumDense?
    /// The gate projection, once built, with `useGate` (saved as `_gate_dense`).
    public private(set) var gateDense: EinsumDense?
    /// The output projection, once built (saved as `output_dense`).
    public private(set) var outputDense: EinsumDense?
    private var equations: (dotProduct: String, combine: String, scoresRank: Int)?

    public override class var configuredWeights: [ConfiguredWeight] { [.init("kernel", .glorotUniform), .init("bias", .zeros)] }
    public override var supportsMasking: Bool { true }
    public override var sublayers: [(name: String, layer: Layer)] {
        [("query_dense", queryDense), ("key_dense", keyDense), ("_gate_dense", gateDense), ("value_dense", valueDense),
         ("output_dense", outputDense)].compactMap { name, layer in layer.map { (name, $0) } }
    }

    /// Multi-head attention with `numHeads` heads of `keyDim` channels for queries and keys (`valueDim` for values).
    public init(numHeads: Int, keyDim: Int, valueDim: Int? = nil, dropout: Double = 0, useBias: Bool = true,
                outputShape: [Int]? = nil, attentionAxes: [Int]? = nil, useGate: Bool = false, slidingWindow: Int? = nil,
                kernelInitializer: Initializer = .glorotUniform, biasInitializer: Initializer = .zeros, seed: Int? = nil, name: String? = nil) {
        (self.numHeads, self.keyDim, self.valueDim) = (numHeads, keyDim, valueDim ?? keyDim)
        (self.dropout, self.useBias, self.useGate, self.outputShapeOption) = (dropout, useBias, useGate, outputShape)
        (self.attentionAxes, self.slidingWindow, self.seed) = (attentionAxes, slidingWindow, seed)
        super.init(name: name)
        weightOptions = ["kernel": WeightOptions(kernelInitializer), "bias": WeightOptions(biasInitializer)]
        if let seed { rng = RandomGenerator(seed: UInt64(bitPattern: Int64(seed))) }
    }

    public required init(from config: ConfigReader) throws {
        numHeads = config.require("num_heads")
        keyDim = config.require("key_dim")
        valueDim = config.optional("value_dim") ?? keyDim
        dropout = config.value("dropout", default: 0)
        useBias = config.value("use_bias", default: true)
        useGate = config.value("use_gate", default: false)
        outputShapeOption = config.object["output_shape"]?.intValue.map { [$0] } ?? config.optional("output_shape")
        attentionAxes = config.object["attention_axes"]?.intValue.map { [$0] } ?? config.optional("attention_axes")
        slidingWindow = config.optional("sliding_window")
        seed = config.optional("seed")
        if numHeads <= 0 || keyDim <= 0 || valueDim <= 0 { config.report("num_heads, key_dim and value_dim must be positive") }
        if let slidingWindow, slidingWindow <= 0 { config.report("sliding_window must be positive, found \(slidingWindow)") }
        try super.init(from: config)
        if let seed { rng = RandomGenerator(seed: UInt64(bitPattern: Int64(seed))) }
    }

    // MARK: Building

    /// Keras's `build(query_shape, value_shape, key_shape=None)`.
    public static var buildArgumentNames: [String]? { ["query", "value", "key"] }

    public func buildShapes(for call: LayerCall<[Int]>) throws -> [[Int]] {
        guard let query = call.argument("query", at: 0), let value = call.argument("value", at: 1) else {
            throw ShapeError("\(displayName) needs a query and a value")
        }
        return [query, value] + (call.argument("key", at: 2).map { [$0] } ?? [])
    }

    public override func build(inputShapes: [[Int]]) throws {
        guard inputShapes.count >= 2 else { throw ShapeError("\(displayName) needs a query and a value, got \(inputShapes.count) input(s)") }
        let (query, value) = (inputShapes[0], inputShapes[1])
        let key = inputShapes.count > 2 ? inputShapes[2] : value
        guard value.dropLast() == key.dropLast() else {
            throw ShapeError("\(displayName): all dimensions of value and key except the last must be equal, got \(Shape.describeBatched(value)) and \(Shape.describeBatched(key))")
        }
        let kernelOptions = options(for: "kernel"), biasOptions = options(for: "bias")
        func projection(_ inputRank: Int, _ bound: Int, _ last: [Int], activation: ActivationFunction = .linear, _ name: String) -> EinsumDense {
            let p = AttentionEquations.projection(freeDims: inputRank, boundDims: bound, outputDims: last.count)
            return EinsumDense(p.equation, outputShape: Array(repeating: nil, count: p.outputRank - 1 - last.count) + last.map { Optional($0) },
                               activation: activation, biasAxes: useBias ? p.biasAxes : nil,
                               kernelInitializer: kernelOptions.initializer, biasInitializer: biasOptions.initializer,
                               kernelRegularizer: kernelOptions.regularizer, biasRegularizer: biasOptions.regularizer,
                               activityRegularizer: activityRegularizer, kernelConstraint: kernelOptions.constraint,
                               biasConstraint: biasOptions.constraint, name: name)
        }
        let queryDense = projection(query.count, 1, [numHeads, keyDim], "query")
        try queryDense.buildIfNeeded(inputShape: query)
        let keyDense = projection(key.count, 1, [numHeads, keyDim], "key")
        try keyDense.buildIfNeeded(inputShape: key)
        if useGate {
            gateDense = projection(query.count, 1, [numHeads, valueDim], activation: .sigmoid, "gate")
            try gateDense?.buildIfNeeded(inputShape: query)
        }
        let valueDense = projection(value.count, 1, [numHeads, valueDim], "value")
        try valueDense.buildIfNeeded(inputShape: value)
        let rank = value.count + 2   // the projected tensors' rank, batch included
        let axes = (attentionAxes ?? Array(1..<(rank - 2))).map { $0 >= 0 ? $0 : $0 + rank - 1 }
        guard !axes.isEmpty, axes.allSatisfy({ $0 >= 1 && $0 < rank - 2 }), Set(axes).count == axes.count else {
            throw ShapeError("\(displayName): attention_axes \(attentionAxes ?? []) must name distinct axes between the batch and feature axes of inputs of rank \(rank - 1)")
        }
        attentionAxes = axes
        equations = AttentionEquations.attention(rank: rank, attentionAxes: axes)
        let outputDense = projection(query.count, 2, outputShapeOption ?? [query.last ?? 0], "attention_output")
        try outputDense.buildIfNeeded(inputShape: Array(query.dropLast()) + [numHeads, valueDim])
        (self.queryDense, self.keyDense, self.valueDense, self.outputDense) = (queryDense, keyDense, valueDense, outputDense)
    }

    public func outputShapes(for call: LayerCall<[Int]>) throws -> [[Int]] {
        let shapes = try buildShapes(for: call)
        let (query, key) = (shapes[0], shapes.count > 2 ? shapes[2] : shapes[1])
        let output = outputShapeOption.map { Array(query.dropLast()) + $0 } ?? query
        guard call.flag("return_attention_scores") else { return [output] }
        // The scores: (heads and other batch axes, query attention axes, key attention axes), batch axis dropped.
        let axes = attentionAxes ?? Array(1..<query.count)
        let projectedQuery = [0] + query.dropLast() + [numHeads, keyDim], projectedKey = [0] + key.dropLast() + [numHeads, keyDim]
        let batchDims = (0..<projectedQuery.count).filter { !axes.contains($0) && $0 != projectedQuery.count - 1 }
        let scores = batchDims.map { projectedQuery[$0] } + axes.map { projectedQuery[$0] } + axes.map { projectedKey[$0] }
        return [output, Array(scores.dropFirst())]
    }

    // MARK: Calling

    public override func call(_ inputs: [Tensor], training: Bool) throws -> Tensor {
        try call(LayerCall(positional: inputs), masks: LayerCall(positional: inputs.map { _ in nil }), training: training)[0]
    }

    public override func outputShape(forInputShapes inputShapes: [[Int]]) throws -> [Int] {
        try outputShapes(for: LayerCall(positional: inputShapes))[0]
    }

    public func outputMask(_ call: LayerCall<Tensor>, masks: LayerCall<Tensor?>) throws -> Tensor? {
        masks.argument("query", at: 0) ?? nil
    }

    public func call(_ call: LayerCall<Tensor>, masks: LayerCall<Tensor?>, training: Bool) throws -> [Tensor] {
        guard let queryDense, let keyDense, let valueDense, let outputDense, let equations, let attentionAxes else {
            throw ShapeError("\(displayName) was called before it was built")
        }
        guard let queryInput = call.argument("query", at: 0), let valueInput = call.argument("value", at: 1) else {
            throw ShapeError("\(displayName) needs a query and a value")
        }
        let keyGiven = call.argument("key", at: 2)
        let queryMask = masks.argument("query", at: 0) ?? nil
        let valueMask = masks.argument("value", at: 1) ?? nil
        let keyMask = keyGiven == nil ? nil : masks.argument("key", at: 2) ?? nil
        let attentionMask = call.argument("attention_mask", at: 6)
        let useCausalMask = call.flag("use_causal_mask"), returnScores = call.flag("return_attention_scores")
        let causalOnly = useCausalMask && queryMask == nil && valueMask == nil && keyMask == nil && attentionMask == nil && slidingWindow == nil
        let mask = causalOnly ? Self.causalMask(queryInput, valueInput)
            : combinedMask(queryInput, valueInput, queryMask: queryMask, valueMask: valueMask, keyMask: keyMask,
                           attentionMask: attentionMask, useCausalMask: useCausalMask)

        let gate = try gateDense.map { try $0(queryInput) }
        let query = try queryDense(queryInput) * Float(1 / Double(keyDim).squareRoot())
        let key = try keyDense(keyGiven ?? valueInput)
        let value = try valueDense(valueInput)
        var scores = try Tensor.einsum(equations.dotProduct, key, query)
        // Keras takes `ops.dot_product_attention` (no zeroing of fully masked rows) when nothing else is asked of it.
        let fused = dropout == 0 && !returnScores && query.rank == 4
        var expandedMask = mask
        while let m = expandedMask, m.rank < scores.rank {
            expandedMask = m.expandingDims(at: -attentionAxes.count * 2 - 1)
        }
        scores = scores.softmax(lastAxes: attentionAxes.count, mask: expandedMask,
                                fill: fused ? -0.7 * Float.greatestFiniteMagnitude : -1e9, zeroingMasked: !fused)
        var output = try Tensor.einsum(equations.combine, droppingOut(scores, rate: dropout, training: training), value)
        if let gate { output = output * gate }
        output = try outputDense(output)
        return returnScores ? [output, scores] : [output]
    }

    /// The attention mask Keras's `_compute_attention_mask` builds: the query's padding mask on rows, the value's and
    /// key's on columns, the causal and sliding-window masks, and `attention_mask`, all combined (1 keeps).
    private func combinedMask(_ query: Tensor, _ value: Tensor, queryMask: Tensor?, valueMask: Tensor?, keyMask: Tensor?,
                              attentionMask: Tensor?, useCausalMask: Bool) -> Tensor? {
        var parts: [Tensor] = []
        if let queryMask { parts.append(queryMask.notEqual(0).expandingDims(at: -1)) }
        for columns in [valueMask, keyMask].compactMap({ $0 }) { parts.append(columns.notEqual(0).expandingDims(at: -2)) }
        if useCausalMask { parts.append(Self.causalMask(query, value)) }
        if let slidingWindow {
            let (t, s) = (query.shape[1], value.shape[1])
            parts.append(Tensor(shape: [1, t, s], scalars: (0..<t * s).map { abs($0 / s - $0 % s) < slidingWindow ? 1 : 0 }))
        }
        if let attentionMask { parts.insert(attentionMask.notEqual(0), at: 0) }
        return parts.dropFirst().reduce(parts.first) { combined, part in combined.map { $0 * part } }
    }

    /// The `[1, T, S]` lower-triangular mask for a query of `T` and a value of `S` positions.
    private static func causalMask(_ query: Tensor, _ value: Tensor) -> Tensor {
        Tensor.causalMask(rows: query.shape[1], columns: value.shape[1]).reshaped(to: [1, query.shape[1], value.shape[1]])
    }

    // MARK: Config

    public override func config() -> JSONObject {
        var c = JSONObject()
        c["num_heads"] = .int(numHeads)
        c["key_dim"] = .int(keyDim)
        c["value_dim"] = .int(valueDim)
        c["dropout"] = .double(dropout)
        c["use_bias"] = .bool(useBias)
        c["use_gate"] = .bool(useGate)
        c["output_shape"] = outputShapeOption.map { .array($0.map { .int($0) }) } ?? .null
        c["attention_axes"] = attentionAxes.map { .array($0.map { .int($0) }) } ?? .null
        c["sliding_window"] = slidingWindow.map { .int($0) } ?? .null
        c.appendWeightOptions(Self.configuredWeights, weightOptions, activityRegularizer: .some(activityRegularizer))
        c["seed"] = seed.map { .int($0) } ?? .null
        return c
    }
}
