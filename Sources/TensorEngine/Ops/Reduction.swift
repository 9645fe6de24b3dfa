import CKernels

/// Sums, means and maxima along axes.
extension Tensor {
    /// Normalises a possibly negative axis (`-1` is the last axis).
    public func normalizedAxis(_ axis: Int) -> Int {
        let a = axis < 0 ? axis + rank : axis
        precondition(a >= 0 && a < Swift.max(rank, 1), "axis \(axis) is out of range for a tensor of rank \(rank)")
        return a
    }

    /// The sizes of the axes before, at and after `axis`, for loops over (outer, axis, inner).
    func split(at axis: Int) -> (outer: Int, size: Int, inner: Int) {
        (shape[..<axis].elementCount, shape[axis], shape[(axis + 1)...].elementCount)
    }

    /// Reduces one axis with `op` (add or maximum), starting each reduction at `initial`.
    private func reduced(along axis: Int, initial: Float, _ op: SKBinaryOp) -> [Float] {
        let (outer, size, inner) = split(at: axis)
        return Kernels.reduce(scalars, outer: outer, size: size, inner: inner, op, initial: initial)
    }

    private func shape(reducing axis: Int, keepingDims: Bool) -> [Int] {
        var s = shape
        if keepingDims { s[axis] = 1 } else { s.remove(at: axis) }
        return s
    }

    /// The sum along `axis`.
    public func sum(alongAxis axis: Int, keepingDims: Bool = false) -> Tensor {
        let a = normalizedAxis(axis)
        let out = Tensor(shape: shape(reducing: a, keepingDims: keepingDims), scalars: reduced(along: a, initial: 0, .add))
        let inShape = shape
        let kept = shape(reducing: a, keepingDims: true)
        return .recorded(out, from: [self]) { g, _ in [g.reshaped(to: kept).broadcast(to: inShape)] }
    }

    /// The sum along several axes.
    public func sum(alongAxes axes: [Int], keepingDims: Bool = false) -> Tensor {
        var result = self
        for axis in axes.map(normalizedAxis).sorted(by: >) {
            result = result.sum(alongAxis: axis, keepingDims: keepingDims)
        }
        return result
    }

    /// The sum of all elements, as a scalar.
    public func sum() -> Tensor {
        reshaped(to: [count]).sum(alongAxis: 0)
    }

    /// The mean along `axis`.
    public func mean(alongAxis axis: Int, keepingDims: Bool = false) -> Tensor {
        let n = shape[normalizedAxis(axis)]
        return sum(alongAxis: axis, keepingDims: keepingDims) / Float(n)
    }

    /// The mean of all elements, as a scalar.
    public func mean() -> Tensor { sum() / Float(Swift.max(count, 1)) }

    /// The maximum along `axis`. The gradient flows to the first maximal element of each slice.
    public func max(alongAxis axis: Int, keepingDims: Bool = false) -> Tensor {
        let a = normalizedAxis(axis)
        let out = Tensor(shape: shape(reducing: a, keepingDims: keepingDims),
                         scalars: reduced(along: a, initial: -.infinity, .maximum))
        let input = self.detached
        return .recorded(out, from: [self]) { g, _ in
            let upstream = g.scalars
            let (outer, size, inner) = input.split(at: a)
            var grad = [Float](repeating: 0, count: input.count)
            for o in 0..<outer {
                for i in 0..<inner {
                    let target = out.scalars[o * inner + i]
                    for k in 0..<size where input.scalars[(o * size + k) * inner + i] == target {
                        grad[(o * size + k) * inner + i] = upstream[o * inner + i]
                        break
                    }
                }
            }
            return [Tensor(shape: input.shape, scalars: grad)]
        }
    }

    /// The index of the largest element along the last axis, for each slice (e.g. predicted classes).
    public func argmaxLastAxis() -> [Int] {
        let n = shape.last ?? 1
        guard n > 0 else { return [] }
        return stride(from: 0, to: count, by: n).map { start in
            var best = start
            for i in start..<(start + n) where scalars[i] > scalars[best] { best = i }
            return best - start
        }
    }
}
