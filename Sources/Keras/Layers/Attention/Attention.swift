import TensorEngine

/// Keras's `Attention` (Luong-style dot-product attention): called on `[query, value]` or `[query, value, key]`,
/// scores each query against each key (`query · keyᵀ`, or with `score_mode="concat"` `Σ tanh(query + key)`),
/// optionally scaled by a learned scalar, masks them (the value's padding mask, `use_causal_mask`), takes the softmax
/// and mixes the values; positions the query's mask hides come out as 0.
public class Attention: Layer, MultiArgumentLayer {
    /// How queries and keys are scored.
    public enum ScoreMode: String, Sendable {
        /// The dot product of query and key.
        case dot
        /// `Σ tanh(query + key)` over the features (times a learned weight with `useScale`).
        case concat
    }

    /// Whether the scores are multiplied by a learned scalar (Keras's `use_scale`).
    public let useScale: Bool
    /// How queries and keys are scored.
    public let scoreMode: ScoreMode
    /// The fraction of attention scores dropped in training.
    public let dropout: Double
    /// The seed of the dropout draws, if fixed.
    public let seed: Int?
    /// The learned scale, once built, when `useScale`.
    public internal(set) var scale: Variable?
    /// The learned weight of concat scores, once built, when `scoreMode` is `concat`.
    public private(set) var concatScoreWeight: Variable?

    public override class var takesInputList: Bool { true }
    public override var supportsMasking: Bool { true }

    /// An attention layer (Keras's `Attention(use_scale, score_mode, dropout)`).
    public init(useScale: Bool = false, scoreMode: ScoreMode = .dot, dropout: Double = 0, seed: Int? = nil, name: String? = nil) {
        (self.useScale, self.scoreMode, self.dropout, self.seed) = (useScale, scoreMode, dropout, seed)
        super.init(name: name)
        if let seed { rng = RandomGenerator(seed: UInt64(bitPattern: Int64(seed))) }
    }

    public required init(from config: ConfigReader) throws {
        useScale = config.value("use_scale", default: Self.defaultUseScale)
        let mode: String = config.value("score_mode", default: "dot")
        scoreMode = ScoreMode(rawValue: mode) ?? .dot
        if ScoreMode(rawValue: mode) == nil { config.report("score_mode must be 'dot' or 'concat', found '\(mode)'") }
        dropout = config.value("dropout", default: 0)
        seed = config.optional("seed")
        try super.init(from: config)
        if let seed { rng = RandomGenerator(seed: UInt64(bitPattern: Int64(seed))) }
    }

    /// Keras's default `use_scale` for this class.
    class var defaultUseScale: Bool { false }

    public override func build(inputShapes: [[Int]]) throws {
        guard (2...3).contains(inputShapes.count) else {
            throw ShapeError("\(displayName) takes [query, value] or [query, value, key], got \(inputShapes.count) input(s)")
        }
        if useScale { scale = try addWeight(name: "scale", shape: [], initializer: .ones) }
        if scoreMode == .concat { concatScoreWeight = try addWeight(name: "concat_score_weight", shape: [], initializer: .ones) }
    }

    /// The `[…, Tq, Tv]` scores of `query` `[…, Tq, dim]` against `key` `[…, Tv, dim]`.
    func scores(query: Tensor, key: Tensor) throws -> Tensor {
        switch scoreMode {
        case .dot:
            let scores = try Tensor.einsum("...qd,...kd->...qk", query, key)
            return scale.map { scores * $0.value } ?? scores
        case .concat:
            let pairs = Self.pairwiseSum(query, key)
            let scaled = scale.map { pairs * $0.value } ?? pairs
            let summed = scaled.applying(.tanh).sum(alongAxis: -1)
            return concatScoreWeight.map { summed * $0.value } ?? summed
        }
    }

    /// `query[…, :, None, :] + key[…, None, :, :]`: every query position with every key position.
    static func pairwiseSum(_ query: Tensor, _ key: Tensor) -> Tensor {
        query.expandingDims(at: -2) + key.expandingDims(at: -3)
    }

    // MARK: MultiArgumentLayer

    public func buildShapes(for call: LayerCall<[Int]>) throws -> [[Int]] { call.positional }

    public func outputShapes(for call: LayerCall<[Int]>) throws -> [[Int]] {
        let shapes = call.positional
        guard shapes.count >= 2, let query = shapes.first, let valueLast = shapes[1].last else {
            throw ShapeError("\(displayName) takes [query, value] or [query, value, key]")
        }
        let key = shapes.count > 2 ? shapes[2] : shapes[1]
        let output = Array(query.dropLast()) + [valueLast]
        return call.flag("return_attention_scores") ? [output, Array(query.dropLast()) + [key.count >= 2 ? key[key.count - 2] : 1]] : [output]
    }

    public override func call(_ inputs: [Tensor], training: Bool) throws -> Tensor {
        try call(LayerCall(positional: inputs), masks: LayerCall(positional: inputs.map { _ in nil }), training: training)[0]
    }

    public override func outputShape(forInputShapes inputShapes: [[Int]]) throws -> [Int] {
        try outputShapes(for: LayerCall(positional: inputShapes))[0]
    }

    public func outputMask(_ call: LayerCall<Tensor>, masks: LayerCall<Tensor?>) throws -> Tensor? {
        masks.positional.first ?? nil
    }

    public func call(_ call: LayerCall<Tensor>, masks: LayerCall<Tensor?>, training: Bool) throws -> [Tensor] {
        let inputs = call.positional
        guard (2...3).contains(inputs.count) else { throw ShapeError("\(displayName) takes [query, value] or [query, value, key]") }
        let (query, value) = (inputs[0], inputs[1])
        let key = inputs.count > 2 ? inputs[2] : value
        let queryMask = masks.positional.first ?? nil
        let valueMask = masks.positional.count > 1 ? masks.positional[1] : nil
        var scores = try self.scores(query: query, key: key)
        // Masked scores are pushed down by 1e9 (Keras's `scores - max_value`), not replaced.
        var keep = valueMask.map { $0.notEqual(0).expandingDims(at: -2) }
        if call.flag("use_causal_mask") {
            let (tq, tv) = (scores.shape[scores.rank - 2], scores.shape[scores.rank - 1])
            let causal = Tensor.causalMask(rows: tq, columns: tv).reshaped(to: [1, tq, tv])
            keep = keep.map { $0 * causal } ?? causal
        }
        if let keep { scores = scores - (Tensor(1) - keep) * 1e9 }
        let weights = scores.softmax(alongAxis: -1)
        var output = try Tensor.einsum("...qk,...kd->...qd", droppingOut(weights, rate: dropout, training: training), value)
        if let queryMask { output = output * queryMask.notEqual(0).expandingDims(at: -1) }
        return call.flag("return_attention_scores") ? [output, weights] : [output]
    }

    public override func config() -> JSONObject {
        ["use_scale": .bool(useScale), "score_mode": .string(scoreMode.rawValue), "dropout": .double(dropout),
         "seed": seed.map { .int($0) } ?? .null]
    }
}

/// Keras's `AdditiveAttention` (Bahdanau-style): scores are `Σ scale · tanh(query + key)` over the features, with a
/// learned `scale` vector (`use_scale`, on by default); masking, softmax and mixing as in `Attention`.
public final class AdditiveAttention: Attention {
    /// An additive attention layer (Keras's `AdditiveAttention(use_scale, dropout)`).
    public init(useScale: Bool = true, dropout: Double = 0, seed: Int? = nil, name: String? = nil) {
        super.init(useScale: useScale, scoreMode: .dot, dropout: dropout, seed: seed, name: name)
    }

    public required init(from config: ConfigReader) throws { try super.init(from: config) }

    override class var defaultUseScale: Bool { true }

    public override func build(inputShapes: [[Int]]) throws {
        guard (2...3).contains(inputShapes.count), let dim = inputShapes[0].last else {
            throw ShapeError("\(displayName) takes [query, value] or [query, value, key], got \(inputShapes.count) input(s)")
        }
        if useScale { scale = try addWeight(name: "scale", shape: [dim], initializer: .glorotUniform) }
    }

    override func scores(query: Tensor, key: Tensor) throws -> Tensor {
        let tanh = Self.pairwiseSum(query, key).applying(.tanh)
        return (scale.map { tanh * $0.value } ?? tanh).sum(alongAxis: -1)
    }

    public override func config() -> JSONObject {
        ["use_scale": .bool(useScale), "dropout": .double(dropout), "seed": seed.map { .int($0) } ?? .null]
    }
}
