/// Samples along the first axis, read in batches by `predict`, `fit` and `evaluate`: a `Tensor`, or a `MappedNPY`
/// array that stays in its file. A batch copies only its own rows.
public protocol SampleSource {
    /// The number of samples, then the shape of one sample.
    var shape: [Int] { get }
    /// The samples `range`, in order, as one batch.
    func rows(_ range: Range<Int>) -> Tensor
    /// The samples at `indices`, in that order, as one batch (how shuffled batches are drawn).
    func gathering(rows indices: [Int]) -> Tensor
    /// Calls `body` with every element in row-major order, read in place (never copied).
    func withUnsafeScalars<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R
}

extension Tensor: SampleSource {
    /// Calls `body` with the tensor's elements in row-major order, read in place.
    public func withUnsafeScalars<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try scalars.withUnsafeBufferPointer(body)
    }
}
