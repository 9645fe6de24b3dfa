/// NumPy-style broadcasting: shapes are aligned on their last axes and a dimension of 1 stretches to match.
enum Broadcasting {
    /// The shape two operands broadcast to, or nil when they cannot be broadcast together.
    static func checkedShape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        let pa = [Int](repeating: 1, count: rank - a.count) + a
        let pb = [Int](repeating: 1, count: rank - b.count) + b
        guard zip(pa, pb).allSatisfy({ $0 == $1 || $0 == 1 || $1 == 1 }) else { return nil }
        return zip(pa, pb).map { $0 == 1 ? $1 : $0 }
    }

    /// The shape two operands broadcast to.
    static func shape(_ a: [Int], _ b: [Int]) -> [Int] {
        let rank = max(a.count, b.count)
        let pa = [Int](repeating: 1, count: rank - a.count) + a
        let pb = [Int](repeating: 1, count: rank - b.count) + b
        return (0..<rank).map { axis in
            let (x, y) = (pa[axis], pb[axis])
            precondition(x == y || x == 1 || y == 1, "shapes \(a) and \(b) cannot be broadcast together")
            return x == 1 ? y : x
        }
    }

    /// For each element of an array of shape `outShape` (row-major), the offset of the element of an array of
    /// shape `inShape` that broadcasting reads. `inShape` must broadcast to `outShape`.
    static func offsets(from inShape: [Int], to outShape: [Int]) -> [Int] {
        let rank = outShape.count
        let padded = [Int](repeating: 1, count: rank - inShape.count) + inShape
        var strides = [Int](repeating: 0, count: rank)
        var step = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            strides[axis] = padded[axis] == 1 ? 0 : step
            step *= padded[axis]
        }
        return offsets(walking: outShape, strides: strides)
    }

    /// The source offset of each element when an array of shape `shape` is walked in row-major order and moving
    /// one step along axis `k` moves `strides[k]` elements in the source (0 for a broadcast axis). Broadcasting
    /// and transposition are both this walk.
    static func offsets(walking shape: [Int], strides: [Int]) -> [Int] {
        let rank = shape.count
        let count = shape.elementCount
        var result = [Int](repeating: 0, count: count)
        var index = [Int](repeating: 0, count: rank)
        var offset = 0
        for i in 0..<count {
            result[i] = offset
            var axis = rank - 1
            while axis >= 0 {
                index[axis] += 1
                offset += strides[axis]
                if index[axis] < shape[axis] { break }
                offset -= strides[axis] * index[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return result
    }
}

extension Tensor {
    /// This tensor repeated along broadcast axes to `targetShape`. Its gradient sums back over those axes, which
    /// makes this the one place where broadcasting is undone during backpropagation.
    public func broadcast(to targetShape: [Int]) -> Tensor {
        if shape == targetShape { return self }
        precondition(Broadcasting.shape(shape, targetShape) == targetShape,
                     "cannot broadcast shape \(shape) to \(targetShape)")
        let out = Tensor(shape: targetShape, scalars: broadcastScalars(to: targetShape))
        let inShape = shape
        return .recorded(out, from: [self]) { grad, _ in [grad.unbroadcast(to: inShape)] }
    }

    /// The elements of this tensor repeated to `targetShape`: a scalar, a trailing row (such as a bias) and a
    /// per-row column (such as a mean) are copied directly; other patterns walk broadcasting's offsets.
    func broadcastScalars(to targetShape: [Int]) -> [Float] {
        let total = targetShape.elementCount
        let source = scalars
        if shape == targetShape { return source }
        if count == 1 { return [Float](repeating: source[0], count: total) }
        let trailing = Array(shape.drop(while: { $0 == 1 }))
        let isColumn = rank == targetShape.count && shape.last == 1 && Array(shape.dropLast()) == Array(targetShape.dropLast())
        guard count > 0, Array(targetShape.suffix(trailing.count)) == trailing || isColumn else {
            return Broadcasting.offsets(from: shape, to: targetShape).map { source[$0] }
        }
        let width = targetShape.last ?? 1
        return source.withUnsafeBufferPointer { src in
            Kernels.make(total) { out in
                if isColumn {
                    for row in 0..<count { (out + row * width).initialize(repeating: src[row], count: width) }
                } else {
                    for block in 0..<(total / count) { (out + block * count).initialize(from: src.baseAddress!, count: count) }
                }
            }
        }
    }

    /// Sums this tensor over the axes that broadcasting added or stretched, giving a tensor of `targetShape`.
    public func unbroadcast(to targetShape: [Int]) -> Tensor {
        if shape == targetShape { return self }
        let lead = shape.count - targetShape.count
        var axes: [Int] = Array(0..<lead)
        for (i, dim) in targetShape.enumerated() where dim == 1 && shape[lead + i] != 1 { axes.append(lead + i) }
        return sum(alongAxes: axes, keepingDims: false).reshaped(to: targetShape)
    }
}

extension Tensor {
    /// The shape that tensors of shapes `a` and `b` broadcast to (NumPy's rules), or nil when they do not.
    public static func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? { Broadcasting.checkedShape(a, b) }
}
