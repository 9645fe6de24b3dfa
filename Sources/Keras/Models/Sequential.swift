import TensorEngine

/// Keras's `Sequential`: a plain stack of layers, each feeding the next.
///
/// ```swift
/// let model = try Sequential([Input(shape: [784]), Dense(256), Antirectifier(), Dense(10)])
/// ```
public final class Sequential: Model {
    private var stack: [Layer]
    private var sampleShape: [Int]?
    /// The `InputLayer` the model was given, if any (kept for its name when saving).
    public private(set) var inputLayer: InputLayer?
    /// The per-sample output shape of each layer, once built.
    public private(set) var builtLayerOutputShapes: [[Int]] = []

    public override var layers: [Layer] { stack }
    public override var inputShape: [Int]? { sampleShape }

    /// A model of `layers`. A leading `Input(shape:)` builds every layer immediately; otherwise the model builds
    /// on its first call. Unnamed layers get unique Keras-style names (`dense`, `dense_1`, …).
    public init(_ layers: [Layer], name: String? = nil) throws {
        var rest = layers
        if let input = rest.first as? InputLayer {
            inputLayer = input
            sampleShape = input.shape
            rest.removeFirst()
        }
        stack = rest
        super.init(name: name ?? "sequential")
        assignNames()
        if let shape = sampleShape { try buildIfNeeded(inputShape: shape) }
    }

    public required init(from config: ConfigReader) throws {
        throw ConfigError("Sequential models are rebuilt by the model loader, not by LayerRegistry")
    }

    /// Adds a layer on top (Keras's `model.add`), building it when the model is built.
    public func add(_ layer: Layer) throws {
        stack.append(layer)
        assignNames()
        if let last = builtLayerOutputShapes.last ?? sampleShape, builtInputShape != nil {
            try layer.buildIfNeeded(inputShape: last)
            builtLayerOutputShapes.append(try layer.outputShape(forInputShape: last))
        }
    }

    /// Used by the loader: sets the input declared by the file.
    func setInput(_ input: InputLayer?, shape: [Int]?) {
        inputLayer = input
        sampleShape = shape
    }

    private func assignNames() {
        if let input = inputLayer, input.name.isEmpty { input.name = "input_layer" }
        Layer.assignUniqueNames((inputLayer.map { [$0] } ?? []) + stack)
    }

    /// Builds every layer in turn, propagating shapes, and records each layer's output shape.
    public override func build(inputShape: [Int]) throws {
        if let declared = sampleShape, declared != inputShape {
            throw ShapeError("model '\(name)' declares input shape \(Shape.describeBatched(declared)), built with \(Shape.describeBatched(inputShape))")
        }
        sampleShape = inputShape
        var shape = inputShape
        var shapes: [[Int]] = []
        for layer in stack {
            try layer.buildIfNeeded(inputShape: shape)
            if let multi = layer as? MultiArgumentLayer, ((try? multi.outputShapes(for: LayerCall(positional: [shape])))?.count ?? 1) > 1 {
                throw ShapeError("model '\(name)': \(layer.displayName) returns several tensors (return_state=True); as in Keras, a Sequential model needs one output per layer (use a Functional model)")
            }
            shape = try layer.outputShape(forInputShape: shape)
            shapes.append(shape)
        }
        builtLayerOutputShapes = shapes
    }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        try forward(inputs, training: training).output
    }

    override func runWithMasks(_ inputs: [Tensor], inputMasks: [Tensor?], training: Bool) throws -> (outputs: [Tensor], masks: [Tensor?]) {
        guard inputs.count == 1 else { return try super.runWithMasks(inputs, inputMasks: inputMasks, training: training) }
        try buildIfNeeded(inputShape: Array(inputs[0].shape.dropFirst()))
        let (output, mask) = try forward(inputs[0], mask: inputMasks.first ?? nil, training: training)
        return ([output], [mask])
    }

    /// The stack's output and the mask it carries (Keras's `_keras_mask`, passed from layer to layer), for `inputs`
    /// carrying `mask`.
    private func forward(_ inputs: Tensor, mask inputMask: Tensor? = nil, training: Bool) throws -> (output: Tensor, mask: Tensor?) {
        var x = inputs
        var mask = inputMask
        for layer in stack { (x, mask) = try layer.callCarryingMask(x, mask: mask, training: training) }
        return (x, mask)
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        var shape = inputShape
        for layer in stack { shape = try layer.outputShape(forInputShape: shape) }
        return shape
    }
}
