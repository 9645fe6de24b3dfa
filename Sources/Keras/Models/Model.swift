import TensorEngine

/// The base class of models (Keras's `keras.Model`): a layer made of layers, with `predict` and, once compiled,
/// training.
open class Model: Layer {
    /// The model's layers in Keras's `model.layers` order (a Sequential model's `InputLayer` is not among them).
    open var layers: [Layer] { [] }

    /// The per-sample input shape, when known (for a model with one input).
    open var inputShape: [Int]? { nil }

    /// The per-sample shape of each input, in order (one for Sequential models).
    open var inputShapes: [[Int]] { inputShape.map { [$0] } ?? [] }

    /// The number of outputs (one for Sequential models).
    open var outputCount: Int { 1 }

    /// The name of each output (Keras's `output_names`): the layer computing it, or its dict key.
    open var outputNames: [String] { [layers.last?.name ?? name] }

    /// Runs the model on one batch per input and returns one batch per output (Keras's `model(inputs)` for models
    /// with several inputs or outputs).
    open func run(_ inputs: [Tensor], training: Bool) throws -> [Tensor] {
        guard inputs.count == 1 else { throw ShapeError("model '\(name)' takes one input, got \(inputs.count)") }
        return [try self(inputs[0], training: training)]
    }

    /// `run`, with the mask each output carries (Keras's `_keras_mask` on the model's outputs, which `fit` and
    /// `evaluate` weight the loss by); `nil` for an output that carries none.
    func runWithMasks(_ inputs: [Tensor], training: Bool) throws -> (outputs: [Tensor], masks: [Tensor?]) {
        let (outputs, masks) = try runWithMasks(inputs, inputMasks: inputs.map { _ in nil }, training: training)
        return (outputs.map(recordActivityLoss), masks)
    }

    /// `run` on inputs carrying `inputMasks` (Keras's `model(x, mask=…)`, which hands each mask to the layers reading
    /// that input), with the mask each output carries. Models that pass masks override it; the default drops them.
    func runWithMasks(_ inputs: [Tensor], inputMasks: [Tensor?], training: Bool) throws -> (outputs: [Tensor], masks: [Tensor?]) {
        let outputs = try run(inputs, training: training)
        return (outputs, outputs.map { _ in nil })
    }

    /// A model used as a layer, called with the mask its input carries: the mask reaches the model's first layers
    /// (Keras's `Sequential.call` / `Functional.call` with `mask=`).
    public override func call(_ inputs: Tensor, mask: Tensor?, training: Bool) throws -> Tensor {
        try singleOutput([inputs], masks: [mask], training: training).output
    }

    /// A model used as a layer inside another model (Keras's `Layer.__call__` on it): runs it on `inputs` carrying
    /// `masks` and returns its single output with the mask its own layers computed for it (Keras keeps the inner
    /// `_keras_mask` on the nested model's output, so the next layer and a masked loss see it).
    func calledAsLayer(_ inputs: [Tensor], masks: [Tensor?], training: Bool) throws -> (output: Tensor, mask: Tensor?) {
        try buildIfNeeded(inputShapes: inputs.map { Array($0.shape.dropFirst()) })
        let (output, mask) = try singleOutput(inputs, masks: masks, training: training)
        return (recordActivityLoss(output), mask)
    }

    private func singleOutput(_ inputs: [Tensor], masks: [Tensor?], training: Bool) throws -> (output: Tensor, mask: Tensor?) {
        let (outputs, outputMasks) = try runWithMasks(inputs, inputMasks: masks, training: training)
        guard outputs.count == 1 else { throw ShapeError("model '\(name)' has \(outputs.count) outputs; it cannot be used as a single layer") }
        return (outputs[0], outputMasks[0])
    }

    /// The `compile_config` object the model was loaded with (empty when it was saved uncompiled).
    public internal(set) var loadedCompileConfig: JSONObject?
    /// Problems found while loading that did not stop it (e.g. skipped optimizer state, an unsupported
    /// `compile_config`).
    public internal(set) var loadWarnings: [String] = []
    /// Why the file's `compile_config` could not be applied, when it could not (the model then loads uncompiled).
    public internal(set) var compileProblem: String?
    /// Variables the weights file stored in another type (float16, bfloat16, float64 …) and that were converted
    /// to float32 on load, counted by stored type; `summary()` reports them.
    public internal(set) var weightConversions: [String: Int] = [:]
    /// Set by a callback to end `fit` after the current batch or epoch (Keras's `model.stop_training`).
    public var stopTraining = false
    /// What `compile` configured (optimizer, losses, loss weights, metrics), validated as one value; `nil` when
    /// the model is not compiled.
    public internal(set) var compileState: CompileState?
    /// The optimizer given to `compile`, if compiled.
    public var optimizer: Optimizer? { compileState?.optimizer }
    /// The loss given to `compile` (for several outputs: the one applied to outputs without their own), if compiled.
    public var loss: Loss? { compileState?.loss }
    /// The metrics given to `compile` (for a model with one output).
    public var metrics: [Metric] { compileState?.metrics ?? [] }
    /// One loss per output when they differ (`compile(losses:)`, a `loss` list or dict in a file); empty when
    /// `loss` applies to every output.
    public var outputLosses: [Loss] { compileState?.outputLosses ?? [] }
    /// The weight of each output's loss in the total (`loss_weights`); empty for all 1.
    public var lossWeights: [Float] { compileState?.lossWeights ?? [] }
    /// The metrics updated with the sample weights (Keras's `weighted_metrics`, single-output models).
    public var weightedMetrics: [Metric] { compileState?.weightedMetrics ?? [] }
    /// The metrics of each output for a model with several outputs (logged as `<output name>_<metric>`).
    public var outputMetrics: [[Metric]] { compileState?.outputMetrics ?? [] }

    /// All weights of all layers, each once, in Keras's `model.weights` order.
    public var allWeights: [Variable] {
        var seen = Set<ObjectIdentifier>()
        var out: [Variable] = weights
        for layer in layers {
            let ws = (layer as? Model)?.allWeights ?? layer.weightsIncludingSublayers
            for w in ws where seen.insert(ObjectIdentifier(w)).inserted { out.append(w) }
        }
        return out
    }

    /// Whether the model trains. As in Keras, setting it sets every layer's flag too (freezing a base model freezes
    /// all its layers; a frozen BatchNormalization then also runs in inference mode during `fit`).
    open override var trainable: Bool {
        didSet {
            guard propagatesTrainable else { return }
            for layer in layers { layer.trainable = trainable }
        }
    }

    /// Off while a loader restores the model's own flag from a file (each layer's flag comes from its own config).
    var propagatesTrainable = true

    /// The weights the optimizer updates, in Keras's `model.trainable_variables` order (the optimizer's slot order).
    public var trainableVariables: [Variable] { allWeights.filter(\.trainable) }

    /// The total number of scalars in the model's weights.
    public var totalParameterCount: Int { allWeights.reduce(0) { $0 + $1.shape.elementCount } }

    /// Runs the model on `x` in batches of `batchSize`, in inference mode, and stacks the results (Keras's
    /// `model.predict`).
    public func predict(_ x: Tensor, batchSize: Int = 32) throws -> Tensor {
        try predict(x as any SampleSource, batchSize: batchSize)
    }

    /// Runs the model on one array per input (in the model's input order) in batches of `batchSize`, in inference
    /// mode, and returns one array per output (Keras's `model.predict([a, b])`).
    public func predict(_ inputs: [Tensor], batchSize: Int = 32) throws -> [Tensor] {
        try predict(inputs as [any SampleSource], batchSize: batchSize)
    }

    /// `predict` on samples read batch by batch from `x` (a `MappedNPY` file is never copied as a whole).
    public func predict(_ x: any SampleSource, batchSize: Int = 32) throws -> Tensor {
        guard outputCount == 1 else { throw ShapeError("model '\(name)' has \(outputCount) outputs: use predict([x…]), which returns one array per output") }
        return try predict([x], batchSize: batchSize)[0]
    }

    /// `predict` on one sample source per input (in the model's input order), read batch by batch: a `Tensor`, or a
    /// `MappedNPY` file whose rows are copied one batch at a time. Returns one array per output.
    public func predict(_ inputs: [any SampleSource], batchSize: Int = 32) throws -> [Tensor] {
        let floatMode = FloatMode.flushingSubnormals()
        defer { floatMode.restore() }
        try checkInputs(inputs)
        let n = inputs[0].shape[0]
        let step = max(1, batchSize)
        guard n > 0 else {
            let probe = try run(inputs.map { Tensor.zeros([1] + Array($0.shape.dropFirst())) }, training: false)
            return probe.map { Tensor.zeros([0] + Array($0.shape.dropFirst())) }
        }
        // The first batch runs alone (it builds whatever is built lazily and gives the outputs' shapes); the others
        // run side by side, one per core, each on one thread, when every layer allows it (nested ops then run on
        // their caller's thread: a batch's numbers do not depend on which thread ran it). Each batch's outputs are
        // written straight into the result arrays.
        let starts = Array(stride(from: 0, to: n, by: step))
        let first = try run(inputs.map { $0.rows(0..<min(step, n)) }, training: false)
        let results = PredictionRows(outputs: first, totalRows: n)
        let concurrent = Parallel.threadCount > 1 && starts.count > 2 && inferenceRunsConcurrently
        try Parallel.forEach(starts.count - 1, concurrently: concurrent) { index in
            let rows = starts[index + 1]..<min(starts[index + 1] + step, n)
            results.write(try run(inputs.map { $0.rows(rows) }, training: false), at: rows.lowerBound)
        }
        return results.tensors
    }

    /// Checks that `inputs` holds one batch per model input, each of the input's shape, all with the same number of
    /// samples.
    public func checkInputs(_ inputs: [Tensor]) throws { try checkInputs(inputs as [any SampleSource]) }

    /// Checks that `inputs` holds one sample source per model input, each of the input's shape, all with the same
    /// number of samples.
    public func checkInputs(_ inputs: [any SampleSource]) throws {
        let expected = inputShapes
        guard expected.isEmpty || inputs.count == expected.count else {
            throw ShapeError("model '\(name)' takes \(expected.count) input\(expected.count == 1 ? "" : "s"), got \(inputs.count)")
        }
        guard let n = inputs.first?.shape.first else { throw ShapeError("model '\(name)': no input given") }
        for (i, (x, shape)) in zip(inputs, expected.isEmpty ? inputs.map { Array($0.shape.dropFirst()) } : expected).enumerated() {
            let which = inputs.count == 1 ? "input" : "input \(i + 1)"
            guard x.shape.count == shape.count + 1, Array(x.shape.dropFirst()) == shape else {
                throw ShapeError("model '\(name)' expects \(which) of shape \(Shape.describeBatched(shape)), got \(Shape.describe(x.shape.map { Optional($0) }))")
            }
            guard x.shape[0] == n else {
                throw ShapeError("model '\(name)': \(which) has \(x.shape[0]) samples, input 1 has \(n)")
            }
        }
    }

    /// Checks that `x` is a batch of samples of the model's input shape.
    public func checkInput(_ x: Tensor) throws { try checkInputs([x]) }
}
