/// Selection by a 0/1 mask and the masked softmax of attention layers, built from differentiable primitives.
extension Tensor {
    /// `a` where `condition` is 1 and `b` where it is 0 (NumPy's `where` for a 0/1 `condition`); the three shapes
    /// broadcast together. The gradient flows to `a` where the condition holds and to `b` elsewhere.
    public static func select(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        condition.detached * a + (Tensor(1) - condition.detached) * b
    }

    /// `a` where `condition` is 1 and the constant `fill` where it is 0.
    public static func select(_ condition: Tensor, _ a: Tensor, else fill: Float) -> Tensor {
        select(condition, a, Tensor(fill))
    }

    /// The softmax over the last `axisCount` axes taken together (Keras's `Softmax(axis=(…))` over trailing axes),
    /// ignoring the positions where `mask` (0/1, broadcastable to `self`) is 0: they get `fill` before the softmax,
    /// so a row masked entirely comes out uniform. With `zeroingMasked`, masked positions are then set to 0, as
    /// Keras's `Softmax` layer does; without it the result is that of `ops.dot_product_attention`.
    public func softmax(lastAxes axisCount: Int, mask: Tensor? = nil, fill: Float = -1e9, zeroingMasked: Bool = true) -> Tensor {
        precondition(axisCount >= 1 && axisCount <= rank, "softmax over the last \(axisCount) axes of a tensor of rank \(rank)")
        let logits = mask.map { Tensor.select($0, self, else: fill) } ?? self
        let merged = Array(shape.dropLast(axisCount)) + [shape.suffix(axisCount).reduce(1, *)]
        let probabilities = axisCount == 1 ? logits.softmax(alongAxis: -1)
            : logits.reshaped(to: merged).softmax(alongAxis: -1).reshaped(to: shape)
        guard let mask, zeroingMasked else { return probabilities }
        return Tensor.select(mask, probabilities, else: 0)
    }

    /// The lower-triangular `[rows, columns]` matrix of 1s where `column ≤ row` (Keras's causal attention mask).
    public static func causalMask(rows: Int, columns: Int) -> Tensor {
        Tensor(shape: [rows, columns], scalars: (0..<rows * columns).map { $0 % Swift.max(columns, 1) <= $0 / Swift.max(columns, 1) ? 1 : 0 })
    }
}

extension Tensor {
    /// The same elements with a new axis of size 1 at `axis` (NumPy's `expand_dims`: a negative axis counts from the
    /// end of the result, `-1` appends).
    public func expandingDims(at axis: Int) -> Tensor {
        let position = axis < 0 ? axis + rank + 1 : axis
        precondition(position >= 0 && position <= rank, "expand_dims axis \(axis) is out of range for a tensor of rank \(rank)")
        var newShape = shape
        newShape.insert(1, at: position)
        return reshaped(to: newShape)
    }
}
