/// Samples along the first axis, read in batches by `predict`, `fit` and `evaluate`: a `Tensor`, or a `MappedNPY`
/// array that stays in its file. A batch copies only its own rows.
public protocol SampleSource {
    /// The number of samples, then the shape of one sample.
    var shape: [Int] { get }
    /// The samples `range`, in order, as one batch.
    func rows(_ range: Range<Int>) -> Tensor
    /// The samples at `indices`, in that order, as one batch (how shuffled batches are drawn).
    func gathering(rows indices: [Int]) -> Tensor
    /// The first element (in row-major order) that is NaN or infinite, with its flat index; `nil` when all are finite.
    func firstNonFinite() -> (index: Int, value: Float)?
}

extension Tensor: SampleSource {
    /// The first element (in row-major order) that is NaN or infinite, with its flat index; `nil` when all are finite.
    public func firstNonFinite() -> (index: Int, value: Float)? {
        scalars.firstIndex { !$0.isFinite }.map { ($0, scalars[$0]) }
    }
}
