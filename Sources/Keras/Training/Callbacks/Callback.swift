/// Keras's `keras.callbacks.Callback`: hooks `fit` calls at the start and end of training, of each epoch and of
/// each batch, with the logs of that moment (`loss`, metrics, `val_` values at epoch end). A callback stops
/// training by setting `model.stopTraining`; it may add values to the epoch-end logs (as `ReduceLROnPlateau`
/// adds `learning_rate`), which then reach `History` and the callbacks after it.
///
/// Every hook has an empty default; implement the ones you need:
///
/// ```swift
/// final class PrintLoss: Callback {
///     func onEpochEnd(_ epoch: Int, model: Model, logs: inout TrainingLogs) throws {
///         print(epoch, logs["loss"] ?? .nan)
///     }
/// }
/// ```
public protocol Callback: AnyObject {
    /// Before the first epoch.
    func onTrainBegin(_ model: Model, logs: TrainingLogs) throws
    /// After the last epoch, with the last epoch's logs.
    func onTrainEnd(_ model: Model, logs: TrainingLogs) throws
    /// Before epoch `epoch` (0-based, as in Keras).
    func onEpochBegin(_ epoch: Int, model: Model, logs: TrainingLogs) throws
    /// After epoch `epoch` and its validation, with the epoch's logs.
    func onEpochEnd(_ epoch: Int, model: Model, logs: inout TrainingLogs) throws
    /// Before training batch `batch` (0-based within the epoch).
    func onTrainBatchBegin(_ batch: Int, model: Model, logs: TrainingLogs) throws
    /// After training batch `batch`, with the epoch's running means so far.
    func onTrainBatchEnd(_ batch: Int, model: Model, logs: TrainingLogs) throws
    /// Before an evaluation (`evaluate`, or the validation at the end of each `fit` epoch).
    func onTestBegin(_ model: Model, logs: TrainingLogs) throws
    /// After an evaluation, with its logs (without the `val_` prefix).
    func onTestEnd(_ model: Model, logs: TrainingLogs) throws
    /// Before evaluation batch `batch`.
    func onTestBatchBegin(_ batch: Int, model: Model, logs: TrainingLogs) throws
    /// After evaluation batch `batch`, with the running means so far.
    func onTestBatchEnd(_ batch: Int, model: Model, logs: TrainingLogs) throws
}

extension Callback {
    /// Does nothing.
    public func onTrainBegin(_ model: Model, logs: TrainingLogs) throws {}
    /// Does nothing.
    public func onTrainEnd(_ model: Model, logs: TrainingLogs) throws {}
    /// Does nothing.
    public func onEpochBegin(_ epoch: Int, model: Model, logs: TrainingLogs) throws {}
    /// Does nothing.
    public func onEpochEnd(_ epoch: Int, model: Model, logs: inout TrainingLogs) throws {}
    /// Does nothing.
    public func onTrainBatchBegin(_ batch: Int, model: Model, logs: TrainingLogs) throws {}
    /// Does nothing.
    public func onTrainBatchEnd(_ batch: Int, model: Model, logs: TrainingLogs) throws {}
    /// Does nothing.
    public func onTestBegin(_ model: Model, logs: TrainingLogs) throws {}
    /// Does nothing.
    public func onTestEnd(_ model: Model, logs: TrainingLogs) throws {}
    /// Does nothing.
    public func onTestBatchBegin(_ batch: Int, model: Model, logs: TrainingLogs) throws {}
    /// Does nothing.
    public func onTestBatchEnd(_ batch: Int, model: Model, logs: TrainingLogs) throws {}
}

/// Whether a monitored value improves by going down or up (Keras's `mode`).
public enum MonitorMode: String, Sendable {
    /// `min` for losses and errors, `max` for accuracies (Keras's rule for `"auto"`).
    case auto, min, max
}

/// The comparison shared by EarlyStopping, ReduceLROnPlateau and ModelCheckpoint (Keras's `MonitorCallback`).
struct Monitor {
    let name: String
    let mode: MonitorMode
    let minDelta: Double
    /// Resolved at the first epoch end, as Keras does: `true` when lower is better.
    private(set) var lowerIsBetter: Bool?

    init(_ name: String, mode: MonitorMode, minDelta: Double) {
        self.name = name
        self.mode = mode
        self.minDelta = abs(minDelta)
    }

    /// Fixes the direction; for `auto`, from the name (`loss`, `val_loss`, `<output>_loss`) or the model's metrics.
    mutating func resolve(_ model: Model) throws {
        guard lowerIsBetter == nil else { return }
        switch mode {
        case .min: lowerIsBetter = true
        case .max: lowerIsBetter = false
        case .auto:
            let metricName = name.hasPrefix("val_") ? String(name.dropFirst(4)) : name
            if metricName == "loss" || metricName.hasSuffix("_loss") { lowerIsBetter = true; return }
            let metrics = model.metrics + model.outputMetrics.flatMap { $0 }
            let prefixed = zip(model.outputNames, model.outputMetrics).flatMap { output, list in list.map { (output + "_" + $0.name, $0) } }
            guard let metric = (metrics.map { ($0.name, $0) } + prefixed).first(where: { $0.0 == metricName })?.1 else {
                throw TrainingError("callback monitor '\(name)': cannot tell whether it should be minimized or maximized; give mode .min or .max")
            }
            lowerIsBetter = [.meanAbsoluteError, .meanSquaredError].contains(metric.kind)
        }
    }

    /// The monitored value in `logs`; a name that is not there is an error naming what is (Keras only warns).
    func value(in logs: TrainingLogs, for callback: String) throws -> Double {
        guard let value = logs[name] else {
            throw TrainingError("\(callback) monitors '\(name)', which is not in the logs (\(logs.names.joined(separator: ", ")))")
        }
        return value
    }

    /// Keras's `_is_improvement`: `value ∓ min_delta` beats `reference` (compared in float32, as Keras's ops do).
    func isImprovement(_ value: Double, over reference: Double?) -> Bool {
        guard let reference else { return true }
        let lower = lowerIsBetter ?? true
        let shifted = Float(lower ? value + minDelta : value - minDelta)
        return lower ? shifted < Float(reference) : shifted > Float(reference)
    }
}
