/// Elementwise comparisons, as masks of 1 (true) and 0 (false). They are constants to autodiff: a comparison's
/// derivative is zero almost everywhere, so nothing is recorded.
extension Tensor {
    /// 1 where an element differs from `value`, 0 where it equals it (Keras's `ops.not_equal(x, value)`).
    public func notEqual(_ value: Float) -> Tensor {
        notEqual(Tensor(repeating: value, shape: shape))
    }

    /// 1 where the elements of `self` and `other` (same shape) differ, 0 where they are equal.
    public func notEqual(_ other: Tensor) -> Tensor {
        precondition(shape == other.shape, "notEqual: shapes \(shape) and \(other.shape) differ")
        return Tensor(shape: shape, scalars: Kernels.make(count) { out in
            scalars.withUnsafeBufferPointer { a in
                other.scalars.withUnsafeBufferPointer { b in
                    for i in 0..<a.count { out[i] = a[i] != b[i] ? 1 : 0 }
                }
            }
        })
    }
}
