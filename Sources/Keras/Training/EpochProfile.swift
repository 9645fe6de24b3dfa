import Foundation
import TensorEngine

/// Where a training epoch's time goes, for benchmarks: with `KERAS_PROFILE=1` in the environment, `fit` prints one
/// line per epoch on standard error, such as
///
/// ```
/// profile epoch 2: 1.154 s = forward 0.396 (GEMM 0.283) + backward 0.464 (GEMM 0.330) + optimizer 0.153
///     + validation 0.070 (GEMM 0.053) + other 0.071
/// ```
///
/// `forward` is the model's forward pass with the loss, `backward` backpropagation, `optimizer` the update and the
/// constraints, `validation` the evaluation after the epoch, `other` the rest (batch gathering, metrics,
/// callbacks, progress). GEMM is the part of each spent waiting for matrix products (`GEMMClock`).
final class EpochProfile {
    /// The phases of an epoch that are timed.
    enum Phase: Int, CaseIterable {
        case forward, backward, optimizer, validation

        var name: String { String(describing: self) }
    }

    /// A profile when profiling is on, else nil (and nothing is timed).
    static func ifEnabled() -> EpochProfile? { GEMMClock.isEnabled ? EpochProfile() : nil }

    private var seconds = [Double](repeating: 0, count: Phase.allCases.count)
    private var gemmSeconds = [Double](repeating: 0, count: Phase.allCases.count)

    /// Runs `body`, adding its wall time and its GEMM time to `phase`.
    func measure<R>(_ phase: Phase, _ body: () throws -> R) rethrows -> R {
        let (start, gemm) = (Self.now(), GEMMClock.seconds)
        defer {
            seconds[phase.rawValue] += Self.now() - start
            gemmSeconds[phase.rawValue] += GEMMClock.seconds - gemm
        }
        return try body()
    }

    /// The epoch's line (`epoch` counted from 1, `total` its wall seconds); the phases start again from zero.
    func report(epoch: Int, total: Double) -> String {
        defer { (seconds, gemmSeconds) = (seconds.map { _ in 0 }, gemmSeconds.map { _ in 0 }) }
        let parts = Phase.allCases.map { phase in
            let gemm = gemmSeconds[phase.rawValue]
            return "\(phase.name) \(Self.format(seconds[phase.rawValue]))" + (gemm > 0 ? " (GEMM \(Self.format(gemm)))" : "")
        }
        let other = total - seconds.reduce(0, +)
        return "profile epoch \(epoch): \(Self.format(total)) s = " + (parts + ["other \(Self.format(other))"]).joined(separator: " + ")
    }

    private static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }

    private static func format(_ value: Double) -> String { String(format: "%.3f", value) }
}

/// `profile.measure(phase, body)` when profiling, else `body()`.
func profiled<R>(_ profile: EpochProfile?, _ phase: EpochProfile.Phase, _ body: () throws -> R) rethrows -> R {
    guard let profile else { return try body() }
    return try profile.measure(phase, body)
}
