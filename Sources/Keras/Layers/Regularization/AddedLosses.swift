import TensorEngine

/// The losses layers add while a model runs one training or evaluation step (Keras's `add_loss` from activity
/// regularizers), collected for that step's total loss.
final class AddedLosses: @unchecked Sendable {   // filled by the one thread running the step
    /// The collected penalties, in call order.
    var losses: [Tensor] = []

    /// The collector of the step being run, if any (outside a step, nothing is collected).
    @TaskLocal static var current: AddedLosses?

    /// Runs `body` collecting the losses its layers add, and returns its result with them.
    static func collecting<T>(_ body: () throws -> T) rethrows -> (T, [Tensor]) {
        let collector = AddedLosses()
        let result = try $current.withValue(collector) { try body() }
        return (result, collector.losses)
    }
}
