import TensorEngine

/// The arguments of one call of a layer that takes several tensors, some by keyword, plus call options
/// (MultiHeadAttention's `query, value, key=…, attention_mask=…, use_causal_mask=True`): the same structure holds the
/// tensors, their shapes or the masks they carry.
public struct LayerCall<Value> {
    /// The positional tensors (or the items of the list a layer was called on).
    public var positional: [Value]
    /// The tensors given by keyword (`key`, `attention_mask` …).
    public var keywords: [String: Value]
    /// The lists of tensors given by keyword (a recurrent layer's `initial_state=[h, c]`).
    public var keywordLists: [String: [Value]]
    /// The call's other keyword arguments (`use_causal_mask`, `return_attention_scores` …), as Keras records them.
    public var options: JSONObject

    /// A call with these arguments.
    public init(positional: [Value], keywords: [String: Value] = [:], keywordLists: [String: [Value]] = [:], options: JSONObject = [:]) {
        self.positional = positional
        self.keywords = keywords
        self.keywordLists = keywordLists
        self.options = options
    }

    /// The argument Keras's `call` names `name` at position `position`: given by position or by keyword.
    public func argument(_ name: String, at position: Int) -> Value? {
        position < positional.count ? positional[position] : keywords[name]
    }

    /// The option `name` as a Boolean (`false` when absent or null).
    public func flag(_ name: String) -> Bool { options[name]?.boolValue ?? false }

    /// The same call with each value transformed.
    public func map<T>(_ transform: (Value) throws -> T) rethrows -> LayerCall<T> {
        LayerCall<T>(positional: try positional.map(transform), keywords: try keywords.mapValues(transform),
                     keywordLists: try keywordLists.mapValues { try $0.map(transform) }, options: options)
    }

    /// The suffix that marks, in a node's flat list of tensor keywords, the items of a list given by keyword.
    static var listItem: String { "[]" }

    /// The tensors by keyword in a fixed order (sorted keywords; a list's items in order) and the keyword of each,
    /// list items marked with `listItem`: how a node stores them after its positional tensors.
    var flatKeywords: (names: [String], values: [Value]) {
        var names: [String] = [], values: [Value] = []
        for name in Set(keywords.keys).union(keywordLists.keys).sorted() {
            if let value = keywords[name] { names.append(name); values.append(value) }
            for item in keywordLists[name] ?? [] { names.append(name + Self.listItem); values.append(item) }
        }
        return (names, values)
    }
}

/// A layer called with several tensor arguments, by position and by keyword, with the masks those tensors carry, and
/// returning one or several tensors (MultiHeadAttention with `return_attention_scores=True`, Attention).
public protocol MultiArgumentLayer: Layer {
    /// The shapes `build(inputShapes:)` takes for a call on tensors of these per-sample shapes.
    func buildShapes(for call: LayerCall<[Int]>) throws -> [[Int]]
    /// The per-sample shape of each output of such a call.
    func outputShapes(for call: LayerCall<[Int]>) throws -> [[Int]]
    /// The forward computation; `masks` holds the mask each tensor carries (Keras's `_keras_mask`).
    func call(_ call: LayerCall<Tensor>, masks: LayerCall<Tensor?>, training: Bool) throws -> [Tensor]
    /// The mask the first output carries (Keras's `compute_mask` / `set_keras_mask`), if any.
    func outputMask(_ call: LayerCall<Tensor>, masks: LayerCall<Tensor?>) throws -> Tensor?
    /// The names of Keras's `build` arguments for the shapes `buildShapes` returns (`["query", "value", "key"]`), when
    /// Keras's `build_config` holds them by name (`{"shapes_dict": {"query_shape": …}}`); nil for `input_shape`.
    static var buildArgumentNames: [String]? { get }
    /// How a list of tensors given by keyword is written in a file's call (`items` in order); one flat list by default,
    /// one list per cell for the `initial_state` of stacked recurrent cells.
    func keywordListJSON(_ keyword: String, items: [JSON]) -> JSON
}

extension MultiArgumentLayer {
    /// Keras's `build_config` holds `input_shape`.
    public static var buildArgumentNames: [String]? { nil }

    public func keywordListJSON(_ keyword: String, items: [JSON]) -> JSON { .array(items) }

    /// Runs the layer on a call's tensors, building it first if needed, and returns every output.
    public func callAsFunction(_ call: LayerCall<Tensor>, masks: LayerCall<Tensor?>? = nil, training: Bool = false) throws -> [Tensor] {
        let floatMode = FloatMode.flushingSubnormals()
        defer { floatMode.restore() }
        try buildIfNeeded(inputShapes: try buildShapes(for: call.map { Array($0.shape.dropFirst()) }))
        let outputs = try self.call(call, masks: masks ?? call.map { _ in nil }, training: training)
        if let first = outputs.first { _ = recordActivityLoss(first) }
        return outputs
    }

    /// Calls the layer on symbolic tensors given by position and returns its first output, as Keras's
    /// `mha(query, value)` does: `let attended = try MultiHeadAttention(numHeads: 4, keyDim: 16)(x, x)`.
    public func callAsFunction(_ first: any KerasTensorConvertible, _ second: any KerasTensorConvertible,
                               _ more: any KerasTensorConvertible...) throws -> KerasTensor {
        try self(LayerCall(positional: [first, second].map(\.kerasTensor) + more.map(\.kerasTensor)))[0]
    }

    /// Calls the layer on symbolic tensors (while building a Functional model) and returns each symbolic output.
    public func callAsFunction(_ call: LayerCall<KerasTensor>, calledOnList: Bool = false) throws -> [KerasTensor] {
        let (names, values) = call.flatKeywords
        return try symbolicOutputs(call.positional + values, calledOnList: calledOnList, keywordArguments: call.options,
                                   tensorKeywords: names)
    }
}
