import CThreadPool

/// A thread's floating-point mode, as the engine computes in it.
///
/// Keras's CPU backends (XLA for JAX, TensorFlow) compute with subnormal floats — magnitudes below 2⁻¹²⁶ ≈ 1.2e-38 —
/// flushed to zero, as results and as operands. The Keras module does the same inside `fit`, `evaluate`, `predict`,
/// `trainStep` and eager layer calls (`layer(x)`): the numbers stay Keras's, and a fine-tuning run does not slow down
/// when a trained model's gradients underflow (x86 vector units take microcode assists on subnormals: fine-tuning
/// the bundled seed model's backward products ran 4× slower without it). Tensor operations and `call(_:training:)`
/// used directly run in the calling thread's own mode. The pool's threads compute in the mode of the thread that
/// starts their work.
///
/// ```swift
/// let mode = FloatMode.flushingSubnormals()
/// defer { mode.restore() }
/// ```
public struct FloatMode: Sendable {
    private let saved: UInt32

    /// Makes this thread flush subnormal floats to zero until `restore()`; returns the mode to restore.
    public static func flushingSubnormals() -> FloatMode {
        FloatMode(saved: sk_flush_subnormals())
    }

    /// Puts this thread's floating-point mode back to what it was before `flushingSubnormals()`.
    public func restore() {
        sk_set_float_mode(saved)
    }
}
