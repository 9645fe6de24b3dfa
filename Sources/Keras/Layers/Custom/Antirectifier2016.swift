import TensorEngine

/// The original (2016) Keras example "Antirectifier", the project's first seed. It has no weights and doubles the
/// width, as the Keras 2 code does:
///
/// ```python
/// def call(self, inputs):
///     inputs -= K.mean(inputs, axis=1, keepdims=True)
///     inputs = K.l2_normalize(inputs, axis=1)
///     pos = K.relu(inputs)
///     neg = K.relu(-inputs)
///     return K.concatenate([pos, neg], axis=1)
/// ```
///
/// Files call both versions `Antirectifier`; the loader picks this one when the layer has no weights (a Keras 2
/// file) or no `initializer` in its config, unless the registry holds a user registration for the name.
public final class Antirectifier2016: Layer {
    public override class var kerasClassName: String { "Antirectifier" }
    public override class var kerasModule: String? { nil }
    public override class var registeredName: String? { "Antirectifier" }

    /// An antirectifier with no weights.
    public override init(name: String? = nil, trainable: Bool = true) { super.init(name: name, trainable: trainable) }

    public required init(from config: ConfigReader) throws { try super.init(from: config) }

    public override func call(_ inputs: Tensor, training: Bool) throws -> Tensor {
        guard inputs.rank == 2 else { throw ShapeError("\(displayName) is only valid for 2D tensors, got shape \(inputs.shape)") }
        var x = inputs - inputs.mean(alongAxis: 1, keepingDims: true)
        x = l2Normalize(x, axis: 1)
        let pos = x.relu()
        let neg = (-x).relu()
        return Tensor.concatenate([pos, neg], alongAxis: 1)
    }

    public override func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 1 else { throw ShapeError("\(displayName) is only valid for 2D tensors, got \(Shape.describeBatched(inputShape))") }
        return [inputShape[0] * 2]
    }
}

/// Keras 2's `K.l2_normalize`: `x / sqrt(max(sum(x²), 1e-12))` along `axis`.
public func l2Normalize(_ x: Tensor, axis: Int) -> Tensor {
    let squareSum = x.squared().sum(alongAxis: axis, keepingDims: true)
    return x / Tensor.maximum(squareSum, Tensor(1e-12)).sqrt()
}
