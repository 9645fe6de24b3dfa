/// Keras's `TerminateOnNaN`: stops training (or, with `raiseError`, throws) at the first batch whose loss is NaN
/// or infinite.
public final class TerminateOnNaN: Callback {
    /// Whether a NaN or infinite loss throws a `TrainingError` instead of stopping training quietly.
    public let raiseError: Bool

    /// Keras's default: `raise_error=False`.
    public init(raiseError: Bool = false) { self.raiseError = raiseError }

    /// Stops training (or throws) when the batch's loss is NaN or infinite.
    public func onTrainBatchEnd(_ batch: Int, model: Model, logs: TrainingLogs) throws {
        guard let loss = logs["loss"], !loss.isFinite else { return }
        if raiseError { throw TrainingError("NaN or Inf loss encountered at batch \(batch). Loss value: \(loss). Terminating training immediately.") }
        model.stopTraining = true
    }
}
