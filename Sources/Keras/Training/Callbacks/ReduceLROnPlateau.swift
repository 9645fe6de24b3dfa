/// Keras's `ReduceLROnPlateau`: multiplies the learning rate by `factor` (not below `minLR`) when `monitor` has
/// not improved by `minDelta` for `patience` epochs, then waits `cooldown` epochs. Logs `learning_rate` each epoch.
public final class ReduceLROnPlateau: Callback {
    /// What the learning rate is multiplied by on a plateau (below 1).
    public let factor: Double
    /// Epochs without improvement before the rate is reduced.
    public let patience: Int
    /// Epochs to wait after a reduction before counting again.
    public let cooldown: Int
    /// The learning rate is never reduced below this (Keras's `min_lr`).
    public let minLR: Double
    private var monitor: Monitor
    private var best: Double?
    private var wait = 0
    private var cooldownCounter = 0

    /// Keras's defaults: `monitor="val_loss"`, `factor=0.1`, `patience=10`, `min_delta=1e-4`, `cooldown=0`, `min_lr=0`.
    public init(monitor: String = "val_loss", factor: Double = 0.1, patience: Int = 10, mode: MonitorMode = .auto,
                minDelta: Double = 1e-4, cooldown: Int = 0, minLR: Double = 0) throws {
        guard factor < 1 else { throw TrainingError("ReduceLROnPlateau does not support a factor >= 1.0, got \(factor)") }
        self.monitor = Monitor(monitor, mode: mode, minDelta: minDelta)
        self.factor = factor
        self.patience = patience
        self.cooldown = cooldown
        self.minLR = minLR
    }

    /// Resets the best value, the wait and the cooldown.
    public func onTrainBegin(_ model: Model, logs: TrainingLogs) throws {
        (best, wait, cooldownCounter) = (nil, 0, 0)
    }

    /// Logs `learning_rate`; reduces it when the monitored value has not improved for `patience` epochs.
    public func onEpochEnd(_ epoch: Int, model: Model, logs: inout TrainingLogs) throws {
        try monitor.resolve(model)
        guard let optimizer = model.optimizer else { return }
        logs["learning_rate"] = Double(optimizer.learningRate)
        let current = try monitor.value(in: logs, for: "ReduceLROnPlateau")
        if cooldownCounter > 0 {
            cooldownCounter -= 1
            wait = 0
        }
        if monitor.isImprovement(current, over: best) {
            best = current
            wait = 0
        } else if cooldownCounter == 0 {
            wait += 1
            if wait >= patience {
                let old = Double(optimizer.learningRate)
                if old > Double(Float(minLR)) {
                    try optimizer.setLearningRate(Float(max(old * factor, minLR)))
                    cooldownCounter = cooldown
                    wait = 0
                }
            }
        }
    }
}
