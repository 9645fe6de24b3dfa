/// Reshaping, concatenation, slicing and transposition.
extension Tensor {
    /// The same elements viewed with another shape of the same element count. One dimension may be `-1`.
    public func reshaped(to newShape: [Int]) -> Tensor {
        var target = newShape
        if let hole = target.firstIndex(of: -1) {
            let known = target.enumerated().filter { $0.offset != hole }.map(\.element).reduce(1, *)
            target[hole] = known == 0 ? 0 : count / known
        }
        precondition(target.elementCount == count, "cannot reshape a tensor of shape \(shape) to \(newShape)")
        if target == shape { return self }
        let out = Tensor(shape: target, scalars: scalars)
        let inShape = shape
        return .recorded(out, from: [self]) { g, _ in [g.reshaped(to: inShape)] }
    }

    /// Joins tensors along `axis`; all other dimensions must agree.
    public static func concatenate(_ tensors: [Tensor], alongAxis axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "concatenate needs at least one tensor")
        let first = tensors[0]
        let a = first.normalizedAxis(axis)
        for t in tensors {
            precondition(t.rank == first.rank && t.shape.enumerated().allSatisfy { $0.offset == a || $0.element == first.shape[$0.offset] },
                         "cannot concatenate shapes \(tensors.map(\.shape)) along axis \(axis)")
        }
        let sizes = tensors.map { $0.shape[a] }
        var outShape = first.shape
        outShape[a] = sizes.reduce(0, +)
        let (outer, total, inner) = (first.shape[..<a].elementCount, outShape[a], first.shape[(a + 1)...].elementCount)
        let out = Kernels.make(outShape.elementCount) { out in
            var start = 0
            for (t, size) in zip(tensors, sizes) {
                t.scalars.withUnsafeBufferPointer { src in
                    if let src = src.baseAddress {
                        Kernels.copyRows(outer, width: size * inner, from: src, stride: size * inner,
                                         to: out + start * inner, targetStride: total * inner)
                    }
                }
                start += size
            }
        }
        let result = Tensor(shape: outShape, scalars: out)
        return .recorded(result, from: tensors) { g, tracked in
            var grads: [Tensor] = []
            var offset = 0
            for (size, isTracked) in zip(sizes, tracked) {
                if isTracked { grads.append(g.slice(alongAxis: a, from: offset, count: size)) }
                offset += size
            }
            return grads
        }
    }

    /// The elements `start ..< start + count` along `axis`.
    public func slice(alongAxis axis: Int, from start: Int, count length: Int) -> Tensor {
        let a = normalizedAxis(axis)
        precondition(start >= 0 && length >= 0 && start + length <= shape[a],
                     "slice \(start)..<\(start + length) is out of range for axis \(axis) of shape \(shape)")
        let (outer, size, inner) = split(at: a)
        var outShape = shape
        outShape[a] = length
        let out = scalars.withUnsafeBufferPointer { src in
            Kernels.make(outShape.elementCount) { out in
                guard let src = src.baseAddress else { return }
                Kernels.copyRows(outer, width: length * inner, from: src + start * inner, stride: size * inner,
                                 to: out, targetStride: length * inner)
            }
        }
        let result = Tensor(shape: outShape, scalars: out)
        let inShape = shape
        return .recorded(result, from: [self]) { g, _ in
            let grad = g.scalars.withUnsafeBufferPointer { src in
                Kernels.make(inShape.elementCount) { grad in
                    grad.initialize(repeating: 0, count: inShape.elementCount)
                    if let src = src.baseAddress {
                        Kernels.copyRows(outer, width: length * inner, from: src, stride: length * inner,
                                         to: grad + start * inner, targetStride: size * inner)
                    }
                }
            }
            return [Tensor(shape: inShape, scalars: grad)]
        }
    }

    /// Overwrites the rows `start ..< start + rows.shape[0]` of this tensor with `rows` (same trailing shape), in
    /// place when the storage is not shared; drops gradient recording. Used to assemble batched results.
    public mutating func setRows(from start: Int, to rows: Tensor) {
        let width = shape.dropFirst().elementCount
        precondition(rank >= 1 && Array(rows.shape.dropFirst()) == Array(shape.dropFirst()) && start + rows.shape[0] <= shape[0],
                     "setRows: rows of shape \(rows.shape) do not fit at row \(start) of shape \(shape)")
        node = nil
        rows.scalars.withUnsafeBufferPointer { src in
            scalars.withUnsafeMutableBufferPointer { dst in
                guard let s = src.baseAddress, let d = dst.baseAddress else { return }
                (d + start * width).update(from: s, count: src.count)
            }
        }
    }

    /// The rows `range` of the first axis (a batch slice).
    public func rows(_ range: Range<Int>) -> Tensor {
        slice(alongAxis: 0, from: range.lowerBound, count: range.count)
    }

    /// The rows at `indices` along the first axis, in that order (used to shuffle and batch data).
    public func gathering(rows indices: [Int]) -> Tensor {
        scalars.withUnsafeBufferPointer { Tensor(gatheringRows: indices, of: $0, shape: shape) }
    }

    /// The rows at `indices` along the first axis of the row-major array `source` of shape `shape`, copied in that
    /// order into a new tensor (batches gathered from data held outside a tensor, such as a memory-mapped file).
    public init(gatheringRows indices: [Int], of source: UnsafeBufferPointer<Float>, shape: [Int]) {
        precondition(shape.count >= 1 && source.count == shape.elementCount, "gathering: \(source.count) scalars do not hold shape \(shape)")
        let rowSize = shape.dropFirst().elementCount
        let out = Kernels.make(indices.count * rowSize) { out in
            guard let base = source.baseAddress else { return }
            for (r, index) in indices.enumerated() {
                precondition(index >= 0 && index < shape[0], "gathering: row \(index) out of range for shape \(shape)")
                (out + r * rowSize).initialize(from: base + index * rowSize, count: rowSize)
            }
        }
        var outShape = shape
        outShape[0] = indices.count
        self.init(shape: outShape, scalars: out)
    }

    /// The axes reordered by `permutation` (NumPy's `transpose(axes)`).
    public func transposed(_ permutation: [Int]) -> Tensor {
        precondition(permutation.sorted() == Array(0..<rank), "\(permutation) is not a permutation of the axes of shape \(shape)")
        let outShape = permutation.map { shape[$0] }
        var inStrides = [Int](repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) { inStrides[axis] = inStrides[axis + 1] * shape[axis + 1] }
        let permutedStrides = permutation.map { inStrides[$0] }
        let source = scalars
        let out = Broadcasting.offsets(walking: outShape, strides: permutedStrides).map { source[$0] }
        let result = Tensor(shape: outShape, scalars: out)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, p) in permutation.enumerated() { inverse[p] = i }
        return .recorded(result, from: [self]) { g, _ in [g.transposed(inverse)] }
    }

    /// The transpose of a matrix.
    public func transposed() -> Tensor {
        precondition(rank == 2, "transposed() needs a matrix, got shape \(shape)")
        return transposed([1, 0])
    }
}
