import TensorEngine

/// Keras's Functional model: a graph of layer calls from one or more inputs to one or more outputs. A layer may be
/// called more than once (its weights are shared between the calls).
///
/// ```swift
/// let features = Input(shape: [16], name: "features")
/// let hidden = try Dense(16, activation: .relu)(features)
/// let residual = try Add()([hidden, features])
/// let model = try Functional(inputs: features, outputs: try Dense(3)(residual))
/// ```
public final class Functional: Model {
    /// The model's symbolic inputs, in order.
    public let inputs: [KerasTensor]
    /// The model's symbolic outputs, in order.
    public let outputs: [KerasTensor]
    /// How inputs and outputs were given — bare (`keras.Model(a, b)`), as lists, or as dicts (tensors in sorted-key
    /// order, as Keras flattens them): Keras writes `input_layers` / `output_layers` in the same form.
    let inputStructure: Structure
    let outputStructure: Structure

    /// The form of a model's inputs or outputs.
    enum Structure: Equatable {
        case single, list
        /// The keys, sorted; the tensors are in this order.
        case dict([String])
    }

    /// The name of each output: its dict key, or the name of the layer that computes it (Keras's `output_names`,
    /// which prefix per-output losses and metrics in training logs).
    public override var outputNames: [String] {
        if case .dict(let keys) = outputStructure { return keys }
        return outputs.map(\.layer.name)
    }
    /// The graph: layer order, node order and node indices (docs/keras-format.md §3.4).
    let graph: FunctionalGraph

    /// The model's layers in Keras's order, InputLayers included (`keras.ops` calls are operations, not layers).
    public override var layers: [Layer] { graph.layers.filter { !($0 is KerasOperation) } }
    /// Every layer and operation of the graph in Keras's order (what `config.json` and `summary` list).
    public var operations: [Layer] { graph.layers }
    public override var inputShape: [Int]? { inputs.count == 1 ? inputs[0].shape : nil }
    public override var inputShapes: [[Int]] { inputs.map(\.shape) }
    public override var outputCount: Int { outputs.count }

    /// A model from `inputs` to `outputs` (Keras's `keras.Model(inputs=[…], outputs=[…])`).
    public convenience init(inputs: [any KerasTensorConvertible], outputs: [KerasTensor], name: String? = nil) throws {
        try self.init(inputs: inputs.map(\.kerasTensor), outputs: outputs, inputStructure: .list, outputStructure: .list, name: name)
    }

    /// A model with one input and one output (Keras's `keras.Model(inputs, outputs)`).
    public convenience init(inputs: some KerasTensorConvertible, outputs: KerasTensor, name: String? = nil) throws {
        try self.init(inputs: [inputs.kerasTensor], outputs: [outputs], inputStructure: .single, outputStructure: .single, name: name)
    }

    /// A model whose outputs are named by `outputs`' keys (Keras's `keras.Model(inputs, {"a": a, "b": b})`).
    public convenience init(inputs: [any KerasTensorConvertible], outputs: [String: KerasTensor], name: String? = nil) throws {
        let keys = outputs.keys.sorted()
        try self.init(inputs: inputs.map(\.kerasTensor), outputs: keys.compactMap { outputs[$0] }, inputStructure: .list,
                      outputStructure: .dict(keys), name: name)
    }

    init(inputs: [KerasTensor], outputs: [KerasTensor], inputStructure: Structure, outputStructure: Structure, name: String?) throws {
        guard !inputs.isEmpty, !outputs.isEmpty else { throw ShapeError("a Functional model needs at least one input and one output") }
        self.inputs = inputs
        self.outputs = outputs
        self.inputStructure = inputStructure
        self.outputStructure = outputStructure
        self.graph = try FunctionalGraph(inputs: inputs, outputs: outputs)
        super.init(name: name ?? "functional")
        try buildIfNeeded(inputShapes: inputs.map(\.shape))
    }

    public required init(from config: ConfigReader) throws {
        throw ConfigError("Functional models are rebuilt by the model loader, not by LayerRegistry")
    }

    /// Layers are built when they are called on symbolic tensors; nothing is left to build.
    public override func build(inputShapes: [[Int]]) throws {}
    public override func build(inputShape: [Int]) throws {}

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        try single(try run([inputs], training: training))
    }

    public override func call(_ inputs: [Tensor], training: Bool) throws -> Tensor {
        try single(try run(inputs, training: training))
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        try outputShape(forInputShapes: [inputShape])
    }

    public override func outputShape(forInputShapes inputShapes: [[Int]]) throws -> [Int] {
        guard inputShapes == self.inputShapes else {
            throw ShapeError("model '\(name)' takes inputs of shape \(self.inputShapes.map(Shape.describeBatched).joined(separator: ", ")), got \(inputShapes.map(Shape.describeBatched).joined(separator: ", "))")
        }
        guard outputs.count == 1 else { throw ShapeError("model '\(name)' has \(outputs.count) outputs; it cannot be used as a single layer") }
        return outputs[0].shape
    }

    /// Runs the graph on one batch per input and returns one batch per output.
    public override func run(_ values: [Tensor], training: Bool) throws -> [Tensor] {
        try runWithMasks(values, training: training).outputs
    }

    override func runWithMasks(_ values: [Tensor], inputMasks: [Tensor?], training: Bool) throws -> (outputs: [Tensor], masks: [Tensor?]) {
        guard values.count == inputs.count else {
            throw ShapeError("model '\(name)' takes \(inputs.count) inputs, got \(values.count)")
        }
        var computed: [ObjectIdentifier: [Tensor]] = [:]   // every output of each call
        // Keras's `_keras_mask`: the mask each computed value carries (a single-input call passes it to the layer),
        // starting with the masks given with the inputs (`Functional.call(inputs, mask=…)`).
        var masks: [ObjectIdentifier: Tensor] = [:]
        for (i, (input, value)) in zip(inputs, values).enumerated() {
            guard Array(value.shape.dropFirst()) == input.shape else {
                throw ShapeError("model '\(name)' input '\(input.layer.name)' expects shape \(Shape.describeBatched(input.shape)), got \(Shape.describe(value.shape.map { Optional($0) }))")
            }
            computed[input.key] = [value]
            if i < inputMasks.count, let mask = inputMasks[i] { masks[input.key] = mask }
        }
        for node in graph.nodes where computed[ObjectIdentifier(node)] == nil {
            let arguments = try node.inputs.map { tensor in
                guard let value = computed[tensor.key]?[tensor.index] else {
                    throw ShapeError("model '\(name)': layer '\(node.layer.name)' needs '\(tensor.layer.name)', which the model's inputs do not reach")
                }
                return value
            }
            let key = ObjectIdentifier(node)
            if let operation = node.layer as? KerasOperation {
                computed[key] = try operation.apply(KerasOperation.arguments(arguments, constants: node.constants,
                                                                             calledOnList: node.calledOnList))
            } else if let layer = node.layer as? MultiArgumentLayer {
                let call = node.call(arguments)
                let carried = node.call(node.inputs.map { $0.index == 0 ? masks[$0.key] : nil })
                let outputs = try layer(call, masks: carried, training: training)
                guard outputs.count == node.outputShapes.count else {
                    throw ShapeError("model '\(name)': layer '\(node.layer.name)' returned \(outputs.count) tensors, \(node.outputShapes.count) expected")
                }
                computed[key] = outputs
                masks[key] = try layer.outputMask(call, masks: carried)
            } else if node.calledOnList, let model = node.layer as? Model {
                // A nested model called on a list: each input's mask reaches the inputs of the model.
                let (output, mask) = try model.calledAsLayer(arguments, masks: node.inputs.map { $0.index == 0 ? masks[$0.key] : nil },
                                                             training: training)
                (computed[key], masks[key]) = ([output], mask)
            } else if node.calledOnList {
                computed[key] = [try node.layer(arguments, training: training)]
            } else {
                // A mask the file gives explicitly (`mask=` keyword argument) wins over the one carried by the input.
                let mask = node.mask.flatMap { computed[$0.key]?[$0.index] } ?? (node.inputs[0].index == 0 ? masks[node.inputs[0].key] : nil)
                let (output, outputMask) = try node.layer.callCarryingMask(arguments[0], mask: mask, training: training)
                (computed[key], masks[key]) = ([output], outputMask)
            }
        }
        let values = try outputs.map { output in
            guard let value = computed[output.key]?[output.index] else { throw ShapeError("model '\(name)': output '\(output.layer.name)' was not computed") }
            return value
        }
        return (values, outputs.map { $0.index == 0 ? masks[$0.key] : nil })
    }

    private func single(_ values: [Tensor]) throws -> Tensor {
        guard values.count == 1 else { throw ShapeError("model '\(name)' has \(values.count) outputs; use run(_:training:) or predict([…])") }
        return values[0]
    }
}
