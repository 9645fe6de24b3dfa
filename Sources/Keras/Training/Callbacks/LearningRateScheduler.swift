/// Keras's `LearningRateScheduler`: sets the learning rate to `schedule(epoch, current rate)` before each epoch
/// and logs it as `learning_rate`.
public final class LearningRateScheduler: Callback {
    /// The learning rate for an epoch (0-based) given the current rate.
    public let schedule: (Int, Float) -> Float

    /// `schedule` maps the epoch (0-based) and the current rate to the new rate.
    public init(_ schedule: @escaping (_ epoch: Int, _ learningRate: Float) -> Float) {
        self.schedule = schedule
    }

    /// Sets the optimizer's learning rate to `schedule(epoch, current rate)`.
    public func onEpochBegin(_ epoch: Int, model: Model, logs: TrainingLogs) throws {
        guard let optimizer = model.optimizer else { return }
        try optimizer.setLearningRate(schedule(epoch, optimizer.learningRate))
    }

    /// Logs `learning_rate`.
    public func onEpochEnd(_ epoch: Int, model: Model, logs: inout TrainingLogs) throws {
        if let optimizer = model.optimizer { logs["learning_rate"] = Double(optimizer.learningRate) }
    }
}
