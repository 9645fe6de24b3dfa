/// Picking elements along one axis by index (NumPy's `take` and `take_along_axis`), with scatter-add gradients.
/// Strided slices, repeats, tiles and splits are all a `taking` with the right index list.
extension Tensor {
    /// The slices `indices` along `axis`, laid out as `indexShape` in place of that axis: the result's shape is
    /// `shape[..<axis] + indexShape + shape[(axis+1)...]` (NumPy's `take(x, indices, axis)`; an empty `indexShape`
    /// with one index drops the axis). Each slice's gradient is added back where it came from.
    /// - Precondition: every index is in `0..<shape[axis]`.
    public func taking(_ indices: [Int], shaped indexShape: [Int], alongAxis axis: Int) -> Tensor {
        let a = normalizedAxis(axis)
        precondition(indices.count == indexShape.elementCount, "taking: \(indices.count) indices for index shape \(indexShape)")
        let (outer, size, inner) = split(at: a)
        precondition(indices.allSatisfy { $0 >= 0 && $0 < size }, "taking: an index is out of range for axis \(axis) of shape \(shape)")
        let outShape = Array(shape[..<a]) + indexShape + Array(shape[(a + 1)...])
        let n = indices.count
        let out = scalars.withUnsafeBufferPointer { src in
            Kernels.make(outer * n * inner) { out in
                guard let src = src.baseAddress else { return }
                for o in 0..<outer {
                    for (j, index) in indices.enumerated() {
                        (out + (o * n + j) * inner).initialize(from: src + (o * size + index) * inner, count: inner)
                    }
                }
            }
        }
        let inShape = shape
        return .recorded(Tensor(shape: outShape, scalars: out), from: [self]) { g, _ in
            var grad = [Float](repeating: 0, count: inShape.elementCount)
            g.scalars.withUnsafeBufferPointer { g in
                grad.withUnsafeMutableBufferPointer { d in
                    for o in 0..<outer {
                        for (j, index) in indices.enumerated() {
                            let (from, to) = ((o * n + j) * inner, (o * size + index) * inner)
                            for i in 0..<inner { d[to + i] += g[from + i] }
                        }
                    }
                }
            }
            return [Tensor(shape: inShape, scalars: grad)]
        }
    }

    /// The elements at `indices` along `axis`, one index per element of the result (NumPy's `take_along_axis`):
    /// `indices` has this tensor's shape except along `axis`, where it may have any length.
    /// - Precondition: every index is in `0..<shape[axis]`.
    public func taking(alongAxis axis: Int, indices: [Int], count length: Int) -> Tensor {
        let a = normalizedAxis(axis)
        let (outer, size, inner) = split(at: a)
        precondition(indices.count == outer * length * inner, "taking(alongAxis:): \(indices.count) indices for \(length) along axis \(axis) of \(shape)")
        precondition(indices.allSatisfy { $0 >= 0 && $0 < size }, "taking(alongAxis:): an index is out of range for axis \(axis) of shape \(shape)")
        var outShape = shape
        outShape[a] = length
        // The flat source offset of each result element.
        var offsets = [Int](repeating: 0, count: indices.count)
        for o in 0..<outer {
            for j in 0..<length {
                for i in 0..<inner {
                    let k = (o * length + j) * inner + i
                    offsets[k] = (o * size + indices[k]) * inner + i
                }
            }
        }
        let source = scalars
        let result = Tensor(shape: outShape, scalars: offsets.map { source[$0] })
        let inShape = shape
        return .recorded(result, from: [self]) { g, _ in
            var grad = [Float](repeating: 0, count: inShape.elementCount)
            for (k, offset) in offsets.enumerated() { grad[offset] += g.scalars[k] }
            return [Tensor(shape: inShape, scalars: grad)]
        }
    }

    /// The index of the largest element along `axis` (the first one on ties, NaN counting as largest, as NumPy),
    /// as floats; a constant to autodiff.
    public func argmax(alongAxis axis: Int, keepingDims: Bool = false) -> Tensor {
        let a = normalizedAxis(axis)
        let (outer, size, inner) = split(at: a)
        var out = [Float](repeating: 0, count: outer * inner)
        scalars.withUnsafeBufferPointer { x in
            for o in 0..<outer {
                for i in 0..<inner {
                    var best = 0
                    for j in 0..<size {
                        let (v, b) = (x[(o * size + j) * inner + i], x[(o * size + best) * inner + i])
                        if b.isNaN { break }
                        if v.isNaN || v > b { best = j }
                    }
                    out[o * inner + i] = Float(best)
                }
            }
        }
        var outShape = shape
        if keepingDims { outShape[a] = 1 } else { outShape.remove(at: a) }
        return Tensor(shape: outShape, scalars: out)
    }

    /// The `k` largest elements along the last axis, largest first (ties keep the lower index first), and their
    /// indices (as floats, a constant to autodiff); the values' gradient goes back to the elements picked.
    public func topK(_ k: Int) -> (values: Tensor, indices: Tensor) {
        precondition(rank >= 1 && k >= 0 && k <= shape[rank - 1], "topK: k = \(k) for shape \(shape)")
        let size = shape[rank - 1]
        var picked: [Int] = []
        picked.reserveCapacity(count / Swift.max(size, 1) * k)
        for row in 0..<(size == 0 ? 0 : count / size) {
            let values = scalars[(row * size)..<((row + 1) * size)]
            let order = (0..<size).sorted { i, j in
                let (a, b) = (values[row * size + i], values[row * size + j])
                return a > b || (a == b && i < j) || (a.isNaN && !b.isNaN)
            }
            picked += order.prefix(k)
        }
        let values = taking(alongAxis: -1, indices: picked, count: k)
        return (values, Tensor(shape: values.shape, scalars: picked.map(Float.init)))
    }
}
