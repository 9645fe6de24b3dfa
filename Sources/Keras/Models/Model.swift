import TensorEngine

/// The base class of models (Keras's `keras.Model`): a layer made of layers, with `predict` and, once compiled,
/// training.
open class Model: Layer {
    /// The model's layers in Keras's `model.layers` order (a Sequential model's `InputLayer` is not among them).
    open var layers: [Layer] { [] }

    /// The per-sample input shape, when known.
    open var inputShape: [Int]? { nil }

    /// The `compile_config` object the model was loaded with (empty when it was saved uncompiled).
    public internal(set) var loadedCompileConfig: JSONObject?
    /// Problems found while loading that did not stop it (e.g. skipped optimizer state).
    public internal(set) var loadWarnings: [String] = []
    /// Variables the weights file stored in another type (float16, bfloat16, float64 …) and that were converted
    /// to float32 on load, counted by stored type; `summary()` reports them.
    public internal(set) var weightConversions: [String: Int] = [:]
    /// The optimizer given to `compile`, if compiled.
    public internal(set) var optimizer: Optimizer?
    /// The loss given to `compile`, if compiled.
    public internal(set) var loss: Loss?
    /// The metrics given to `compile`.
    public internal(set) var metrics: [Metric] = []

    /// All weights of all layers, each once, in Keras's `model.weights` order.
    public var allWeights: [Variable] {
        var seen = Set<ObjectIdentifier>()
        var out: [Variable] = weights
        for layer in layers {
            let ws = (layer as? Model)?.allWeights ?? layer.weights
            for w in ws where seen.insert(ObjectIdentifier(w)).inserted { out.append(w) }
        }
        return out
    }

    /// The weights the optimizer updates, in Keras's `model.trainable_variables` order (the optimizer's slot order).
    public var trainableVariables: [Variable] { allWeights.filter(\.trainable) }

    /// The total number of scalars in the model's weights.
    public var totalParameterCount: Int { allWeights.reduce(0) { $0 + $1.shape.elementCount } }

    /// Runs the model on `x` in batches of `batchSize`, in inference mode, and stacks the results (Keras's
    /// `model.predict`).
    public func predict(_ x: Tensor, batchSize: Int = 32) throws -> Tensor {
        try checkInput(x)
        let n = x.shape[0]
        guard n > 0 else { return Tensor.zeros([0] + (try outputShape(forInputShape: Array(x.shape.dropFirst())))) }
        let step = max(1, batchSize)
        var outputs: [Tensor] = []
        for start in stride(from: 0, to: n, by: step) {
            outputs.append(try self(x.rows(start..<min(start + step, n)), training: false).detached)
        }
        return outputs.count == 1 ? outputs[0] : Tensor.concatenate(outputs, alongAxis: 0)
    }

    /// Checks that `x` is a batch of samples of the model's input shape.
    public func checkInput(_ x: Tensor) throws {
        guard let expected = inputShape else { return }
        guard x.rank == expected.count + 1, Array(x.shape.dropFirst()) == expected else {
            throw ShapeError("model '\(name)' expects input of shape \(Shape.describeBatched(expected)), got \(Shape.describe(x.shape.map { Optional($0) }))")
        }
    }
}
