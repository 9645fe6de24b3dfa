import CThreadPool
import Foundation
import Synchronization

/// The wall time spent in GEMM, for profiles of where a step's time goes. Off unless the environment sets
/// `KERAS_PROFILE` (to anything but `0`) when the process starts; then `Model.fit` prints each epoch's breakdown.
///
/// It counts each product started outside the engine's thread pool from its start to its end (both blocks of a
/// split product), and a pair of products computed at once on two cores (a matmul's two gradients) as one span:
/// time the calling thread waits for GEMM. Products run from several threads at once all add up.
public enum GEMMClock {
    /// Whether GEMM time is being counted: from the start when the environment sets `KERAS_PROFILE` (to anything but
    /// `0`), or from the moment a program sets it.
    public static var isEnabled: Bool {
        get { enabled.load(ordering: .relaxed) }
        set { enabled.store(newValue, ordering: .relaxed) }
    }

    private static let enabled = Atomic<Bool>(ProcessInfo.processInfo.environment["KERAS_PROFILE"].map { $0 != "0" } ?? false)

    private static let nanoseconds = Atomic<UInt64>(0)

    /// Seconds of GEMM counted since the process started (0 when profiling is off).
    public static var seconds: Double { Double(nanoseconds.load(ordering: .relaxed)) * 1e-9 }

    /// Runs `body`, a product or a group of products, adding its wall time when profiling is on and the calling
    /// thread waits for it: not inside another timed span, and not a pool worker running part of a job its caller
    /// times (a split product), though the caller's own tasks of a `Parallel.forEach` job (a batch each) count.
    @inline(__always)
    static func counting<R>(_ body: () -> R) -> R {
        guard isEnabled else { return body() }
        defer { sk_clock_leave() }
        guard sk_clock_enter() != 0 else { return body() }
        let start = DispatchTime.now().uptimeNanoseconds
        defer { nanoseconds.add(DispatchTime.now().uptimeNanoseconds &- start, ordering: .relaxed) }
        return body()
    }
}
