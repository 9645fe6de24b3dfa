/// `model.compile(…)`.
extension Model {
    /// Configures the model for training (Keras's `model.compile(optimizer=, loss=, metrics=)`).
    public func compile(optimizer: Optimizer, loss: Loss, metrics: [Metric] = []) {
        self.optimizer = optimizer
        self.loss = loss
        self.metrics = metrics
        outputLosses = []
        lossWeights = []
        outputMetrics = []
        loadedCompileConfig = nil
        compileProblem = nil
    }

    /// Compiles a model with several outputs (Keras's `compile(loss=[…], loss_weights=[…], metrics=[[…], […]])`):
    /// one loss per output, in the model's output order, an optional weight per loss (the total is the weighted
    /// sum; logs show each output's unweighted loss as `<output name>_loss`) and each output's metrics.
    public func compile(optimizer: Optimizer, losses: [Loss], lossWeights: [Float] = [], metrics: [[Metric]] = []) {
        compile(optimizer: optimizer, loss: losses.first ?? .meanSquaredError, metrics: metrics.count == 1 ? metrics[0] : [])
        outputLosses = losses
        self.lossWeights = lossWeights
        outputMetrics = metrics
    }

    /// Whether `compile` has run (or the model was loaded with a `compile_config`).
    public var isCompiled: Bool { optimizer != nil && loss != nil }
}
