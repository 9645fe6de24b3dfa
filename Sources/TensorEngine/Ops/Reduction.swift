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

    /// Reduces one axis with `Op`, starting each reduction at `initial`. A last-axis sum keeps eight running
    /// partial sums per row (vectorized, and no less accurate than one running sum); rows go to the cores.
    private func reduced<Op: ElementwiseBinary>(along axis: Int, initial: Float, _ op: Op.Type) -> [Float] {
        let (outer, size, inner) = split(at: axis)
        return scalars.withUnsafeBufferPointer { source in
            Kernels.make(outer * inner) { out in
                guard let src = source.baseAddress else {
                    out.initialize(repeating: initial, count: outer * inner)
                    return
                }
                Parallel.forEachChunk(outer, grain: Swift.max(1, Parallel.grain / Swift.max(size * inner, 1))) { rows in
                    for o in rows {
                        let block = src + o * size * inner
                        if inner == 1 {   // the last axis: each output is one contiguous run
                            var lanes = (initial, initial, initial, initial, initial, initial, initial, initial)
                            var k = 0
                            while k + 8 <= size {
                                lanes.0 = Op.apply(lanes.0, block[k]); lanes.1 = Op.apply(lanes.1, block[k + 1])
                                lanes.2 = Op.apply(lanes.2, block[k + 2]); lanes.3 = Op.apply(lanes.3, block[k + 3])
                                lanes.4 = Op.apply(lanes.4, block[k + 4]); lanes.5 = Op.apply(lanes.5, block[k + 5])
                                lanes.6 = Op.apply(lanes.6, block[k + 6]); lanes.7 = Op.apply(lanes.7, block[k + 7])
                                k += 8
                            }
                            var acc = Op.apply(Op.apply(Op.apply(lanes.0, lanes.4), Op.apply(lanes.1, lanes.5)),
                                               Op.apply(Op.apply(lanes.2, lanes.6), Op.apply(lanes.3, lanes.7)))
                            while k < size { acc = Op.apply(acc, block[k]); k += 1 }
                            out[o] = acc
                        } else {
                            let row = out + o * inner
                            row.initialize(repeating: initial, count: inner)
                            for k in 0..<size {
                                let line = block + k * inner
                                for i in 0..<inner { row[i] = Op.apply(row[i], line[i]) }
                            }
                        }
                    }
                }
            }
        }
    }

    private func shape(reducing axis: Int, keepingDims: Bool) -> [Int] {
        var s = shape
        if keepingDims { s[axis] = 1 } else { s.remove(at: axis) }
        return s
    }

    /// The sum along `axis`.
    public func sum(alongAxis axis: Int, keepingDims: Bool = false) -> Tensor {
        let a = normalizedAxis(axis)
        let out = Tensor(shape: shape(reducing: a, keepingDims: keepingDims), scalars: reduced(along: a, initial: 0, AddOp.self))
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
                         scalars: reduced(along: a, initial: -.infinity, MaximumOp.self))
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
