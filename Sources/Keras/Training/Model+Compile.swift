/// `model.compile(…)`.
extension Model {
    /// Configures the model for training (Keras's `model.compile(optimizer=, loss=, metrics=)`).
    public func compile(optimizer: Optimizer, loss: Loss, metrics: [Metric] = []) {
        self.optimizer = optimizer
        self.loss = loss
        self.metrics = metrics
        loadedCompileConfig = nil
    }

    /// Whether `compile` has run (or the model was loaded with a `compile_config`).
    public var isCompiled: Bool { optimizer != nil && loss != nil }
}
