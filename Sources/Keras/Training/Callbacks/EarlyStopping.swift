import TensorEngine

/// Keras's `EarlyStopping`: stops training when `monitor` has not improved by more than `minDelta` for
/// `patience` epochs (counted from `startFromEpoch`); with `restoreBestWeights` the model ends with the weights of
/// its best epoch. With a `baseline`, the wait only resets on improvements beyond it.
public final class EarlyStopping: Callback {
    /// Whether the model ends with the weights of its best epoch (Keras's `restore_best_weights`).
    public let restoreBestWeights: Bool
    /// Epochs without improvement after which training stops.
    public let patience: Int
    /// The value the monitored quantity must beat; the wait resets only on improvements beyond it.
    public let baseline: Double?
    /// Epochs of warm-up before improvements are looked for (Keras's `start_from_epoch`).
    public let startFromEpoch: Int
    private var monitor: Monitor
    /// The best value seen, once an epoch has been monitored.
    public private(set) var best: Double?
    /// The epoch (0-based) of `best`.
    public private(set) var bestEpoch = 0
    /// The epoch (0-based) after which training stopped, or 0.
    public private(set) var stoppedEpoch = 0
    private var wait = 0
    private var bestWeights: [Tensor]?

    /// Keras's defaults: `monitor="val_loss"`, `min_delta=0`, `patience=0`, `mode="auto"`.
    public init(monitor: String = "val_loss", minDelta: Double = 0, patience: Int = 0, mode: MonitorMode = .auto,
                baseline: Double? = nil, restoreBestWeights: Bool = false, startFromEpoch: Int = 0) {
        self.monitor = Monitor(monitor, mode: mode, minDelta: minDelta)
        self.patience = patience
        self.baseline = baseline
        self.restoreBestWeights = restoreBestWeights
        self.startFromEpoch = startFromEpoch
    }

    /// Resets the wait, the best value and the stored weights.
    public func onTrainBegin(_ model: Model, logs: TrainingLogs) throws {
        (wait, stoppedEpoch, best, bestWeights, bestEpoch) = (0, 0, nil, nil, 0)
    }

    /// Compares the monitored value with the best so far; stops training when the wait reaches `patience`.
    public func onEpochEnd(_ epoch: Int, model: Model, logs: inout TrainingLogs) throws {
        try monitor.resolve(model)
        let current = try monitor.value(in: logs, for: "EarlyStopping")
        guard epoch >= startFromEpoch else { return }
        if restoreBestWeights && bestWeights == nil {
            bestWeights = model.allWeights.map(\.value)
            bestEpoch = epoch
        }
        wait += 1
        if monitor.isImprovement(current, over: best) {
            best = current
            bestEpoch = epoch
            if restoreBestWeights { bestWeights = model.allWeights.map(\.value) }
            if baseline == nil || monitor.isImprovement(current, over: baseline) { wait = 0 }
            return
        }
        if wait >= patience && epoch > 0 {
            stoppedEpoch = epoch
            model.stopTraining = true
        }
    }

    /// Restores the best epoch's weights (with `restoreBestWeights`) when training stopped early.
    public func onTrainEnd(_ model: Model, logs: TrainingLogs) throws {
        guard restoreBestWeights, let bestWeights else { return }
        for (variable, value) in zip(model.allWeights, bestWeights) { try variable.assign(value) }
    }
}
