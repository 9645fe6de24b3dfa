/// `model.compile(…)`.
extension Model {
    /// Configures the model for training (Keras's `model.compile(optimizer=, loss=, metrics=)`); for a model with
    /// several outputs the loss applies to each.
    /// `weightedMetrics` are updated with the sample (or class) weights, `metrics` without them, as in Keras.
    public func compile(optimizer: Optimizer, loss: Loss, metrics: [Metric] = [], weightedMetrics: [Metric] = []) {
        setCompileState(CompileState(optimizer: optimizer, loss: loss, outputLosses: [], lossWeights: [], metrics: metrics,
                                     outputMetrics: [], weightedMetrics: weightedMetrics))
    }

    /// Compiles a model with several outputs (Keras's `compile(loss=[…], loss_weights=[…], metrics=[[…], […]])`):
    /// one loss per output, in the model's output order (or one loss for all), an optional weight per output (the
    /// total is the weighted sum; logs show each output's unweighted loss as `<output name>_loss`) and each
    /// output's metrics.
    ///
    /// - Throws: `TrainingError` when the counts do not match the model's outputs (no loss at all included).
    public func compile(optimizer: Optimizer, losses: [Loss], lossWeights: [Float] = [], metrics: [[Metric]] = []) throws {
        setCompileState(try CompileState(optimizer: optimizer, losses: losses, lossWeights: lossWeights, metrics: metrics,
                                         outputCount: outputCount, model: name))
    }

    func setCompileState(_ state: CompileState) {
        compileState = state
        loadedCompileConfig = nil
        compileProblem = nil
    }

    /// Whether `compile` has run (or the model was loaded with a `compile_config`).
    public var isCompiled: Bool { compileState != nil }

    /// Compiles the model again with a fresh optimizer of the same configuration (Keras's recompile after changing
    /// `trainable`): the optimizer's state (slots, iteration count) starts over, as in Keras.
    public func recompile() throws {
        guard isCompiled else { throw TrainingError("model '\(name)' is not compiled") }
        let config = CompileConfig.serialized(for: self)
        compileState = nil
        try CompileConfig.apply(config, to: self)
    }
}

/// A model's compile configuration as one validated value: the optimizer, the loss of each output, the loss
/// weights and the metrics.
public struct CompileState {
    /// The optimizer that updates the weights.
    public let optimizer: Optimizer
    /// The loss of every output without its own (the single compiled loss).
    public let loss: Loss
    /// One loss per output when they differ; empty when `loss` applies to all.
    public let outputLosses: [Loss]
    /// One weight per output, or empty for all 1.
    public let lossWeights: [Float]
    /// The metrics of a single-output model.
    public let metrics: [Metric]
    /// The metrics of each output of a model with several outputs.
    public let outputMetrics: [[Metric]]
    /// The metrics updated with sample weights (single-output models).
    public internal(set) var weightedMetrics: [Metric] = []

    init(optimizer: Optimizer, loss: Loss, outputLosses: [Loss], lossWeights: [Float], metrics: [Metric], outputMetrics: [[Metric]],
         weightedMetrics: [Metric] = []) {
        self.weightedMetrics = weightedMetrics
        self.optimizer = optimizer
        self.loss = loss
        self.outputLosses = outputLosses
        self.lossWeights = lossWeights
        self.metrics = metrics
        self.outputMetrics = outputMetrics
    }

    /// Checks per-output lists against `outputCount`.
    init(optimizer: Optimizer, losses: [Loss], lossWeights: [Float], metrics: [[Metric]], outputCount: Int, model: String) throws {
        let outputs = "model '\(model)' has \(outputCount) output\(outputCount == 1 ? "" : "s")"
        guard let first = losses.first else { throw TrainingError("compile: no loss given; \(outputs): give one loss, or one per output") }
        guard losses.count == 1 || losses.count == outputCount else {
            throw TrainingError("compile: \(losses.count) losses given; \(outputs): give one loss, or one per output")
        }
        guard lossWeights.isEmpty || lossWeights.count == outputCount else {
            throw TrainingError("compile: \(lossWeights.count) loss weights given; \(outputs): give one per output (or none)")
        }
        guard metrics.isEmpty || metrics.count == outputCount else {
            throw TrainingError("compile: \(metrics.count) metric lists given; \(outputs): give one list per output (or none)")
        }
        self.init(optimizer: optimizer, loss: first, outputLosses: losses.count == 1 ? [] : losses, lossWeights: lossWeights,
                  metrics: outputCount == 1 ? metrics.first ?? [] : [], outputMetrics: outputCount == 1 ? [] : metrics)
    }
}
