/// Keras's `TerminateOnNaN`: stops training (or, with `raiseError`, throws) at the first batch whose loss is NaN
/// or infinite.
public final class TerminateOnNaN: Callback {
    public let raiseError: Bool

    public init(raiseError: Bool = false) { self.raiseError = raiseError }

    public func onTrainBatchEnd(_ batch: Int, model: Model, logs: TrainingLogs) throws {
        guard let loss = logs["loss"], !loss.isFinite else { return }
        if raiseError { throw TrainingError("NaN or Inf loss encountered at batch \(batch). Loss value: \(loss). Terminating training immediately.") }
        model.stopTraining = true
    }
}
