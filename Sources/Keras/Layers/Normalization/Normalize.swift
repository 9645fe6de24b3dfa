import TensorEngine

/// The arithmetic Keras's normalization layers share (`ops.moments`, `ops.batch_normalization`,
/// `ops.layer_normalization`), written with differentiable tensor ops so that gradients flow through the statistics.
enum Normalize {
    /// The mean and (biased) variance over `axes`, kept as size-1 axes.
    static func moments(_ x: Tensor, axes: [Int]) -> (mean: Tensor, variance: Tensor) {
        let count = Float(axes.reduce(1) { $0 * x.shape[$1] })
        let mean = x.sum(alongAxes: axes, keepingDims: true) / count
        let centred = x - mean
        let variance = (centred * centred).sum(alongAxes: axes, keepingDims: true) / count
        return (mean, variance)
    }

    /// `x · inv + (offset − mean · inv)` with `inv = rsqrt(variance + epsilon) · scale`, in Keras's order of
    /// operations; `mean`, `variance`, `scale` and `offset` broadcast against `x`.
    static func apply(_ x: Tensor, mean: Tensor, variance: Tensor, scale: Tensor?, offset: Tensor?, epsilon: Float) -> Tensor {
        var inv = Tensor(1) / (variance + epsilon).sqrt()
        if let scale { inv = inv * scale }
        var res = (-mean) * inv
        if let offset { res = res + offset }
        return x * inv + res
    }

    /// `keras.ops.normalize(x, axis, order=2, epsilon)`: `x · min(rsqrt(Σx²), 1/epsilon)` over `axes`.
    static func l2(_ x: Tensor, axes: [Int], epsilon: Float) -> Tensor {
        let squareSum = x.squared().sum(alongAxes: axes, keepingDims: true)
        return x * Tensor.minimum(Tensor(1) / squareSum.sqrt(), Tensor(1 / epsilon))
    }

    /// `shape` with every axis set to 1 except `keep`, whose sizes come from `shape` (the broadcast shape of a
    /// per-feature statistic).
    static func broadcastShape(_ shape: [Int], keeping keep: [Int]) -> [Int] {
        shape.enumerated().map { keep.contains($0.offset) ? $0.element : 1 }
    }

    /// `axes` (counted with the batch axis; negative from the end) for a batched input of `rank` axes, sorted;
    /// they must be distinct feature axes.
    static func resolved(_ axes: [Int], rank: Int, for layer: Layer) throws -> [Int] {
        let resolved = axes.map { $0 < 0 ? $0 + rank : $0 }.sorted()
        guard resolved.allSatisfy({ $0 >= 1 && $0 < rank }), Set(resolved).count == resolved.count else {
            throw ShapeError("\(layer.displayName): axis \(axes) does not name distinct feature axes of inputs of rank \(rank)")
        }
        return resolved
    }
}

extension ConfigReader {
    /// A normalization layer's `axis`: one int, or a list of at least one int (and whether it was a list, to write
    /// it back the same way).
    func normalizationAxes() -> (axes: [Int], isList: Bool) {
        if let single = object["axis"]?.intValue { return ([single], false) }
        let axes = value("axis", default: [-1])
        if axes.isEmpty { report("'axis' must name at least one axis") }
        return (axes, true)
    }
}

