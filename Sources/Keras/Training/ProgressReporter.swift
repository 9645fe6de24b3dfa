import Foundation

/// Keras-style training progress: `Epoch 1/20` then
/// `399/399 ━━━━━━━━━━━━━━━━━━━━ 1s 3ms/step - loss: 0.1887 - sparse_categorical_accuracy: 0.9455 - val_loss: …`,
/// redrawn in place on a terminal and written once per epoch otherwise.
public final class ProgressReporter: @unchecked Sendable {
    /// How much to print.
    public enum Mode: Sendable {
        /// Nothing (Keras's `verbose=0`).
        case silent
        /// A progress bar redrawn in place (Keras's `verbose=1`, on a terminal).
        case bar
        /// One line per epoch (Keras's `verbose=2`, and what a log file gets).
        case lines
    }

    let mode: Mode
    private let handle: FileHandle
    private var lastDraw = Date.distantPast
    private var warned = Set<String>()

    /// Prints nothing.
    public static let silent = ProgressReporter(mode: .silent, to: .standardOutput)

    /// A live bar on a terminal, one line per epoch otherwise (Keras's `verbose="auto"`).
    public static func automatic(to handle: FileHandle = .standardOutput) -> ProgressReporter {
        ProgressReporter(mode: isatty(handle.fileDescriptor) != 0 ? .bar : .lines, to: handle)
    }

    /// A reporter of `mode` writing to `handle`.
    public init(mode: Mode, to handle: FileHandle) {
        self.mode = mode
        self.handle = handle
    }

    private func write(_ text: String) { handle.write(Data(text.utf8)) }

    func beginEpoch(_ epoch: Int, of epochs: Int, steps: Int) {
        guard mode != .silent else { return }
        write("Epoch \(epoch)/\(epochs)\n")
    }

    func step(_ step: Int, logs: TrainingLogs, elapsed: Double) {
        guard mode == .bar, Date().timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = Date()
        write("\r\u{1B}[K" + line(step: step, of: nil, logs: logs, elapsed: elapsed))
    }

    func endEpoch(steps: Int, logs: TrainingLogs, elapsed: Double) {
        guard mode != .silent else { return }
        write((mode == .bar ? "\r\u{1B}[K" : "") + line(step: steps, of: steps, logs: logs, elapsed: elapsed) + "\n")
    }

    /// Prints a warning once per distinct message.
    func warn(_ message: String) {
        guard warned.insert(message).inserted else { return }
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }

    private var totalSteps = 0

    private func line(step: Int, of total: Int?, logs: TrainingLogs, elapsed: Double) -> String {
        if let total { totalSteps = total }
        let steps = max(totalSteps, step)
        let width = 20
        let done = steps > 0 ? width * step / steps : width
        let bar = mode == .bar
            ? "\u{1B}[32m" + String(repeating: "━", count: done) + "\u{1B}[0m\u{1B}[37m" + String(repeating: "━", count: width - done) + "\u{1B}[0m"
            : String(repeating: "━", count: width)
        let perStep = elapsed / Double(max(step, 1))
        let unit = perStep >= 1 ? "\(Int(perStep.rounded()))s/step" : perStep >= 1e-3 ? "\(Int((perStep * 1e3).rounded()))ms/step" : "\(Int((perStep * 1e6).rounded()))us/step"
        var text = "\(step)/\(steps) \(bar) \(Int(elapsed.rounded()))s \(unit)"
        for (name, value) in logs.pairs { text += " - \(name): \(Self.format(value))" }
        return text
    }

    /// Keras's progress-bar number format: four decimals, or scientific notation below 1e-3.
    static func format(_ value: Double) -> String {
        Swift.abs(value) > 1e-3 ? String(format: "%.4f", value) : String(format: "%.4e", value)
    }
}
