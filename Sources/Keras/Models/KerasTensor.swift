import Synchronization
import TensorEngine

/// A symbolic tensor in a Functional graph (Keras's `KerasTensor`): the per-sample shape of a value and the layer
/// call that produces it. Calling a layer on symbolic tensors builds the layer and records the call:
///
/// ```swift
/// let inputs = Input(shape: [784])
/// let hidden = try Dense(64, activation: .relu)(inputs)
/// let outputs = try Dense(10)(Add()([hidden, try Dense(64)(inputs)]))
/// let model = try Functional(inputs: inputs, outputs: outputs)
/// ```
public struct KerasTensor: KerasTensorConvertible {
    /// The per-sample shape (Keras's shape without the batch axis).
    public let shape: [Int]
    /// Where the value comes from.
    let source: Source
    /// Which of the call's outputs this is (an operation such as `ops.split` has several; Keras's tensor index).
    var index = 0
    /// The dtype a loaded file gives this tensor (`bool` for a comparison, `int32` for an integer input), written
    /// back when the model is saved; `float32` otherwise.
    var dtype = "float32"

    enum Source {
        /// A model input.
        case input(InputLayer)
        /// An output of a layer call (`index` says which).
        case node(Node)
    }

    /// The tensor itself.
    public var kerasTensor: KerasTensor { self }

    /// The layer that produces this tensor.
    public var layer: Layer {
        switch source {
        case .input(let input): return input
        case .node(let node): return node.layer
        }
    }

    /// Identifies the call (or input) that produces the value; with `index`, the value itself.
    var key: ObjectIdentifier {
        switch source {
        case .input(let input): return ObjectIdentifier(input)
        case .node(let node): return ObjectIdentifier(node)
        }
    }

    /// The call that produces this tensor, nil for an input.
    var node: Node? {
        if case .node(let node) = source { return node }
        return nil
    }
}

/// Anything that stands for a symbolic tensor: a `KerasTensor`, or an `InputLayer` (what `Input(shape:)` returns).
public protocol KerasTensorConvertible {
    /// The symbolic tensor.
    var kerasTensor: KerasTensor { get }
}

extension InputLayer: KerasTensorConvertible {
    /// The model input this layer declares, as a symbolic tensor.
    public var kerasTensor: KerasTensor { KerasTensor(shape: shape, source: .input(self)) }
}

/// One call of a layer on symbolic tensors (Keras's `Node`).
final class Node {
    /// The layer called.
    let layer: Layer
    /// The call's tensor arguments, in order: the positional ones, then those given by keyword (`tensorKeywords`).
    let inputs: [KerasTensor]
    /// The keywords of the last `tensorKeywords.count` inputs (MultiHeadAttention's `key`, `attention_mask`).
    let tensorKeywords: [String]
    /// The per-sample shape of each output (one, except for layers returning several tensors).
    let outputShapes: [[Int]]
    /// Every tensor the call reads: its arguments, then its `mask`.
    var parents: [KerasTensor] { inputs + (mask.map { [$0] } ?? []) }
    /// Whether the layer was called on a list (`layer([a, b])`) rather than on one tensor.
    let calledOnList: Bool
    /// The call's keyword arguments as loaded from a file (written back unchanged), `{}` otherwise.
    let keywordArguments: JSONObject
    /// Creation order: a layer's calls are numbered in this order (Keras's node index).
    let serial: Int
    /// The per-sample shape of the call's (first) output.
    var outputShape: [Int] { outputShapes[0] }
    /// The tensor a file passes as the call's `mask` keyword argument (Keras 3.x records masks explicitly), if any.
    let mask: KerasTensor?
    /// An operation call's constant positional arguments by position (`x * 2.0`: `[1: 2.0]`); the tensors fill the
    /// other positions in order.
    let constants: [Int: JSON]

    init(layer: Layer, inputs: [KerasTensor], outputShapes: [[Int]], calledOnList: Bool, keywordArguments: JSONObject = [:],
         constants: [Int: JSON] = [:], mask: KerasTensor? = nil, tensorKeywords: [String] = []) {
        self.layer = layer
        self.mask = mask
        self.outputShapes = outputShapes
        self.tensorKeywords = tensorKeywords
        self.constants = constants
        self.inputs = inputs
        self.calledOnList = calledOnList
        self.keywordArguments = keywordArguments
        self.serial = NodeCounter.next()
    }
}

extension Node {
    /// The call's tensors (or their masks, or shapes) by position and keyword, with its options.
    func call<Value>(_ values: [Value]) -> LayerCall<Value> {
        Node.call(values, tensorKeywords: tensorKeywords, options: keywordArguments)
    }

    /// `values` split into the positional ones and the last `tensorKeywords.count`, given by keyword.
    static func call<Value>(_ values: [Value], tensorKeywords: [String], options: JSONObject) -> LayerCall<Value> {
        let positionalCount = values.count - tensorKeywords.count
        var keywords: [String: Value] = [:], lists: [String: [Value]] = [:]
        for (name, value) in zip(tensorKeywords, values.dropFirst(positionalCount)) {
            if name.hasSuffix(LayerCall<Value>.listItem) {
                lists[String(name.dropLast(LayerCall<Value>.listItem.count)), default: []].append(value)
            } else {
                keywords[name] = value
            }
        }
        return LayerCall(positional: Array(values.prefix(positionalCount)), keywords: keywords, keywordLists: lists, options: options)
    }
}

/// Numbers nodes in creation order across threads.
enum NodeCounter {
    private static let counter = Mutex(0)

    static func next() -> Int { counter.withLock { value in value += 1; return value } }
}

extension Layer {
    /// Calls the layer on a symbolic tensor (Keras's `layer(x)` while building a Functional model): builds the
    /// layer for the tensor's shape and returns its symbolic output.
    public func callAsFunction(_ input: some KerasTensorConvertible) throws -> KerasTensor {
        try symbolicCall([input.kerasTensor], calledOnList: false)
    }

    /// Calls the layer on a list of symbolic tensors (Keras's `layer([a, b])`, as for merge layers).
    public func callAsFunction(_ inputs: [any KerasTensorConvertible]) throws -> KerasTensor {
        try symbolicCall(inputs.map(\.kerasTensor), calledOnList: true)
    }

    func symbolicCall(_ inputs: [KerasTensor], calledOnList: Bool, keywordArguments: JSONObject = [:],
                      constants: [Int: JSON] = [:], mask: KerasTensor? = nil, tensorKeywords: [String] = []) throws -> KerasTensor {
        try symbolicOutputs(inputs, calledOnList: calledOnList, keywordArguments: keywordArguments, constants: constants, mask: mask,
                            tensorKeywords: tensorKeywords)[0]
    }

    /// Records a call and returns every output of it (several for an operation such as `ops.split`, or for
    /// MultiHeadAttention returning its scores).
    func symbolicOutputs(_ inputs: [KerasTensor], calledOnList: Bool, keywordArguments: JSONObject = [:],
                         constants: [Int: JSON] = [:], mask: KerasTensor? = nil, tensorKeywords: [String] = []) throws -> [KerasTensor] {
        if self is InputLayer { throw ShapeError("\(displayName) cannot be called; use it as a model input") }
        let shapes = inputs.map(\.shape)
        let outputShapes: [[Int]]
        if let layer = self as? MultiArgumentLayer {
            let call = Node.call(shapes, tensorKeywords: tensorKeywords, options: keywordArguments)
            try buildIfNeeded(inputShapes: try layer.buildShapes(for: call))
            outputShapes = try layer.outputShapes(for: call)
            if outputShapes.isEmpty { throw ShapeError("\(displayName) returns no output") }
        } else if let operation = self as? KerasOperation {
            // An operation's result shapes depend on its constants: run it on one sample of zeros.
            let probe = inputs.map { Tensor.zeros([1] + $0.shape) }
            outputShapes = try operation.apply(KerasOperation.arguments(probe, constants: constants, calledOnList: calledOnList))
                .map { Array($0.shape.dropFirst()) }
        } else {
            try buildIfNeeded(inputShapes: shapes)
            outputShapes = [shapes.count == 1 && !calledOnList ? try outputShape(forInputShape: shapes[0]) : try outputShape(forInputShapes: shapes)]
        }
        for shape in outputShapes { _ = try Shape.checkedElementCount(shape, "\(displayName) output") }
        let node = Node(layer: self, inputs: inputs, outputShapes: outputShapes, calledOnList: calledOnList, keywordArguments: keywordArguments,
                        constants: constants, mask: mask, tensorKeywords: tensorKeywords)
        return outputShapes.enumerated().map { KerasTensor(shape: $0.element, source: .node(node), index: $0.offset) }
    }
}
