import TensorEngine

/// A loaded model that concurrent tasks share for inference: `predict` may run on any number of tasks and threads
/// at once, and each call gives the same numbers as a serial `Model.predict`.
///
/// ```swift
/// let shared = try InferenceModel.load(from: "model.keras")
/// try await withThrowingTaskGroup(of: Tensor.self) { group in
///     for batch in batches { group.addTask { try shared.predict(batch) } }
///     …
/// }
/// ```
///
/// `Model` itself is not `Sendable`: `fit`, `compile`, `loadWeights`, assigning a variable, setting `trainable`
/// and building a layer all mutate it, and none of them may overlap with anything else on the same model. Inference
/// only reads a built model — the variables' values, each layer's configuration — and the tensor engine keeps no
/// state between calls (each parallel loop and GEMM works on its own buffers), so concurrent `predict` calls on a
/// model that nothing mutates are safe. An `InferenceModel` makes "nothing mutates it" hold: it takes the model
/// with `sending`, so the compiler refuses any later use of that model outside it, builds every layer before it
/// is shared, and offers only inference.
///
/// Layers written outside this package (registered custom layers, Lambda functions) must keep to the same rule:
/// `call(_:training: false)` reads the layer's state and writes none.
public final class InferenceModel: Sendable {
    /// The model, which nothing mutates once the initializer returns (see the type's documentation).
    private nonisolated(unsafe) let model: Model
    /// The per-sample shape of each input, in order.
    public let inputShapes: [[Int]]
    /// The name of each output (Keras's `output_names`).
    public let outputNames: [String]

    /// Takes `model` for shared inference. The model must be built (a loaded model is); it is run once on one
    /// sample of zeros per input so that nothing is left to build lazily.
    /// - Throws: `ShapeError` when the model's input shapes are unknown or the model cannot run.
    public init(_ model: sending Model) throws {
        let shapes = model.inputShapes
        guard !shapes.isEmpty else { throw ShapeError("model '\(model.name)' has no known input shape: build it before sharing it for inference") }
        _ = try model.run(shapes.map { Tensor.zeros([1] + $0) }, training: false)
        self.model = model
        inputShapes = shapes
        outputNames = model.outputNames
    }

    /// Loads a model file (`Model.load(from:registry:)`) for shared inference.
    public convenience init(loading path: String, registry: LayerRegistry = .builtins) throws {
        try self.init(try Model.load(from: path, registry: registry))
    }

    /// Runs the model on `x` in batches of `batchSize`, in inference mode (Keras's `model.predict`); safe to call
    /// from many tasks at once.
    public func predict(_ x: Tensor, batchSize: Int = 32) throws -> Tensor {
        try model.predict(x, batchSize: batchSize)
    }

    /// Runs the model on one array per input and returns one array per output (Keras's `model.predict([a, b])`);
    /// safe to call from many tasks at once.
    public func predict(_ inputs: [Tensor], batchSize: Int = 32) throws -> [Tensor] {
        try model.predict(inputs, batchSize: batchSize)
    }

    /// `predict` on samples read batch by batch from `x` (a `MappedNPY` file is never copied as a whole); safe to
    /// call from many tasks at once.
    public func predict(_ x: any SampleSource, batchSize: Int = 32) throws -> Tensor {
        try model.predict(x, batchSize: batchSize)
    }

    /// `predict` on one sample source per input (in the model's input order), read batch by batch; returns one array
    /// per output. Safe to call from many tasks at once.
    public func predict(_ inputs: [any SampleSource], batchSize: Int = 32) throws -> [Tensor] {
        try model.predict(inputs, batchSize: batchSize)
    }
}
