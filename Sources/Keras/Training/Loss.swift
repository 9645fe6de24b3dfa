import TensorEngine

/// A Keras loss with Keras 3's numerics and the default `sum_over_batch_size` reduction: the per-sample losses
/// summed and divided by their count.
public struct Loss: Sendable, Equatable {
    /// The loss functions Keras provides that this package implements.
    public enum Kind: String, Sendable, CaseIterable {
        case sparseCategoricalCrossentropy = "sparse_categorical_crossentropy"
        case categoricalCrossentropy = "categorical_crossentropy"
        case binaryCrossentropy = "binary_crossentropy"
        case meanSquaredError = "mean_squared_error"
        case meanAbsoluteError = "mean_absolute_error"

        /// The Keras class name of the loss object.
        public var className: String {
            switch self {
            case .sparseCategoricalCrossentropy: return "SparseCategoricalCrossentropy"
            case .categoricalCrossentropy: return "CategoricalCrossentropy"
            case .binaryCrossentropy: return "BinaryCrossentropy"
            case .meanSquaredError: return "MeanSquaredError"
            case .meanAbsoluteError: return "MeanAbsoluteError"
            }
        }
    }

    public var kind: Kind
    /// Whether predictions are logits (crossentropies only).
    public var fromLogits: Bool

    /// A loss of `kind`.
    public init(_ kind: Kind, fromLogits: Bool = false) {
        self.kind = kind
        self.fromLogits = fromLogits
    }

    /// `SparseCategoricalCrossentropy(from_logits:)`.
    public static func sparseCategoricalCrossentropy(fromLogits: Bool = false) -> Loss { Loss(.sparseCategoricalCrossentropy, fromLogits: fromLogits) }
    /// `CategoricalCrossentropy(from_logits:)`.
    public static func categoricalCrossentropy(fromLogits: Bool = false) -> Loss { Loss(.categoricalCrossentropy, fromLogits: fromLogits) }
    /// `BinaryCrossentropy(from_logits:)`.
    public static func binaryCrossentropy(fromLogits: Bool = false) -> Loss { Loss(.binaryCrossentropy, fromLogits: fromLogits) }
    /// `MeanSquaredError()`.
    public static let meanSquaredError = Loss(.meanSquaredError)
    /// `MeanAbsoluteError()`.
    public static let meanAbsoluteError = Loss(.meanAbsoluteError)

    /// Keras's `backend.epsilon()`, the clip margin for probabilities.
    static let epsilon: Float = 1e-7

    /// The per-sample losses for a batch (shape `[batch]` for rank-2 predictions).
    public func perSample(yTrue: Tensor, yPred: Tensor) throws -> Tensor {
        switch kind {
        case .sparseCategoricalCrossentropy:
            let classes = yPred.shape.last ?? 0
            let labels = yTrue.rank == yPred.rank && yTrue.shape.last == 1 ? yTrue.reshaped(to: Array(yTrue.shape.dropLast())) : yTrue
            guard labels.shape == Array(yPred.shape.dropLast()) else {
                throw ShapeError("sparse_categorical_crossentropy: labels of shape \(yTrue.shape) do not match predictions of shape \(yPred.shape)")
            }
            return try crossentropy(oneHot: Self.oneHot(labels, classes: classes), yPred)
        case .categoricalCrossentropy:
            guard yTrue.shape == yPred.shape else {
                throw ShapeError("categorical_crossentropy: targets of shape \(yTrue.shape) must match predictions of shape \(yPred.shape) (use one-hot labels, or sparse_categorical_crossentropy for class ids)")
            }
            return try crossentropy(oneHot: yTrue, yPred)
        case .binaryCrossentropy:
            let t = try matching(yTrue, yPred)
            let terms: Tensor
            if fromLogits {
                // −t·log σ(x) − (1−t)·log σ(−x), with log σ(x) = −softplus(−x).
                terms = t * yPred.negated().applying(.softplus) + (Tensor(1) - t) * yPred.applying(.softplus)
            } else {
                let p = yPred.clipped(to: Self.epsilon, 1 - Self.epsilon)
                terms = (t * p.log() + (Tensor(1) - t) * (Tensor(1) - p).log()).negated()
            }
            return terms.mean(alongAxis: -1)
        case .meanSquaredError:
            return (try matching(yTrue, yPred) - yPred).squared().mean(alongAxis: -1)
        case .meanAbsoluteError:
            return (try matching(yTrue, yPred) - yPred).abs().mean(alongAxis: -1)
        }
    }

    /// The reduced (scalar) loss: `sum(per-sample losses) / count`.
    public func callAsFunction(yTrue: Tensor, yPred: Tensor) throws -> Tensor {
        try callAsFunction(yTrue: yTrue, yPred: yPred, sampleWeight: nil)
    }

    /// The reduced loss with each sample's loss multiplied by its weight: `sum(w · losses) / count` (Keras divides
    /// by the number of losses, not by the sum of the weights).
    public func callAsFunction(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws -> Tensor {
        var losses = try perSample(yTrue: yTrue, yPred: yPred)
        if let w = sampleWeight {
            let batch = losses.shape.first ?? 0
            guard w.count == batch else { throw ShapeError("sample weights: \(w.count) for a batch of \(batch)") }
            losses = losses * w.reshaped(to: [batch] + Array(repeating: 1, count: max(0, losses.rank - 1)))
        }
        return losses.sum() / Float(max(losses.count, 1))
    }

    private func crossentropy(oneHot target: Tensor, _ yPred: Tensor) throws -> Tensor {
        let logProb: Tensor
        if fromLogits {
            logProb = yPred.logSoftmax(alongAxis: -1)
        } else {
            let p = yPred / yPred.sum(alongAxis: -1, keepingDims: true)
            logProb = p.clipped(to: Self.epsilon, 1 - Self.epsilon).log()
        }
        return (target * logProb).sum(alongAxis: -1).negated()
    }

    /// Targets shaped like the predictions (a `[batch]` target against `[batch, 1]` predictions is expanded).
    private func matching(_ yTrue: Tensor, _ yPred: Tensor) throws -> Tensor {
        if yTrue.shape == yPred.shape { return yTrue }
        if yTrue.count == yPred.count, yPred.shape.last == 1 { return yTrue.reshaped(to: yPred.shape) }
        throw ShapeError("\(kind.rawValue): targets of shape \(yTrue.shape) do not match predictions of shape \(yPred.shape)")
    }

    /// One-hot rows for integer class ids stored as floats; ids outside `0..<classes` are refused.
    static func oneHot(_ labels: Tensor, classes: Int) throws -> Tensor {
        var out = [Float](repeating: 0, count: labels.count * classes)
        for (i, label) in labels.scalars.enumerated() {
            let id = Int(exactly: label) ?? -1
            guard id >= 0 && id < classes else {
                throw ShapeError("label \(label) at index \(i) is not a class id in 0..<\(classes)")
            }
            out[i * classes + id] = 1
        }
        return Tensor(shape: labels.shape + [classes], scalars: out)
    }
}
