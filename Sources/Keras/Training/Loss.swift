import TensorEngine

/// A Keras loss with Keras 3's numerics and the default `sum_over_batch_size` reduction: the per-sample losses
/// summed and divided by their count.
public struct Loss: Sendable, Equatable {
    /// The loss functions Keras provides that this package implements.
    public enum Kind: String, Sendable, CaseIterable {
        /// Cross-entropy against integer class labels.
        case sparseCategoricalCrossentropy = "sparse_categorical_crossentropy"
        /// Cross-entropy against one-hot (or soft) labels.
        case categoricalCrossentropy = "categorical_crossentropy"
        /// Cross-entropy of independent 0/1 labels.
        case binaryCrossentropy = "binary_crossentropy"
        /// The mean over the last axis of `(y − ŷ)²`.
        case meanSquaredError = "mean_squared_error"
        /// The mean over the last axis of `|y − ŷ|`.
        case meanAbsoluteError = "mean_absolute_error"
        /// Quadratic below `delta`, linear above.
        case huber
        /// The mean of `log(cosh(ŷ − y))`.
        case logCosh = "log_cosh"
        /// The Kullback–Leibler divergence `Σ y · log(y / ŷ)` (both clipped to [ε, 1]).
        case klDivergence = "kl_divergence"
        /// The mean of `ŷ − y · log(ŷ + ε)`.
        case poisson
        /// The negated cosine similarity of `y` and `ŷ` over the last axis.
        case cosineSimilarity = "cosine_similarity"
        /// The mean of `max(1 − y · ŷ, 0)` (labels −1/1, or 0/1 converted).
        case hinge
        /// The mean of `max(1 − y · ŷ, 0)²`.
        case squaredHinge = "squared_hinge"
        /// `max(0, 1 + max((1 − y) · ŷ) − Σ y · ŷ)` (one-hot labels).
        case categoricalHinge = "categorical_hinge"

        /// The Keras class name of the loss object.
        public var className: String {
            switch self {
            case .sparseCategoricalCrossentropy: return "SparseCategoricalCrossentropy"
            case .categoricalCrossentropy: return "CategoricalCrossentropy"
            case .binaryCrossentropy: return "BinaryCrossentropy"
            case .meanSquaredError: return "MeanSquaredError"
            case .meanAbsoluteError: return "MeanAbsoluteError"
            case .huber: return "Huber"
            case .logCosh: return "LogCosh"
            case .klDivergence: return "KLDivergence"
            case .poisson: return "Poisson"
            case .cosineSimilarity: return "CosineSimilarity"
            case .hinge: return "Hinge"
            case .squaredHinge: return "SquaredHinge"
            case .categoricalHinge: return "CategoricalHinge"
            }
        }

        /// The default `name` of the loss object (the function's name, except `huber_loss`).
        public var objectName: String { self == .huber ? "huber_loss" : rawValue }
    }

    /// Which loss function.
    public var kind: Kind
    /// Whether predictions are logits (crossentropies only).
    public var fromLogits: Bool
    /// Categorical and binary cross-entropy: targets moved towards uniform by this amount (Keras's `label_smoothing`).
    public var labelSmoothing: Float = 0
    /// Sparse categorical cross-entropy: targets with this id add nothing and are not counted (Keras's `ignore_class`).
    public var ignoreClass: Int?

    /// A loss of `kind`.
    public init(_ kind: Kind, fromLogits: Bool = false, labelSmoothing: Float = 0, ignoreClass: Int? = nil) {
        self.kind = kind
        self.fromLogits = fromLogits
        self.labelSmoothing = labelSmoothing
        self.ignoreClass = ignoreClass
    }

    /// `SparseCategoricalCrossentropy(from_logits:, ignore_class:)`.
    public static func sparseCategoricalCrossentropy(fromLogits: Bool = false, ignoreClass: Int? = nil) -> Loss {
        Loss(.sparseCategoricalCrossentropy, fromLogits: fromLogits, ignoreClass: ignoreClass)
    }
    /// `CategoricalCrossentropy(from_logits:, label_smoothing:)`.
    public static func categoricalCrossentropy(fromLogits: Bool = false, labelSmoothing: Float = 0) -> Loss {
        Loss(.categoricalCrossentropy, fromLogits: fromLogits, labelSmoothing: labelSmoothing)
    }
    /// `BinaryCrossentropy(from_logits:, label_smoothing:)`.
    public static func binaryCrossentropy(fromLogits: Bool = false, labelSmoothing: Float = 0) -> Loss {
        Loss(.binaryCrossentropy, fromLogits: fromLogits, labelSmoothing: labelSmoothing)
    }
    /// `Huber()` (δ = 1).
    public static let huber = Loss(.huber)
    /// `LogCosh()`.
    public static let logCosh = Loss(.logCosh)
    /// `KLDivergence()`.
    public static let klDivergence = Loss(.klDivergence)
    /// `Poisson()`.
    public static let poisson = Loss(.poisson)
    /// `CosineSimilarity()` (over the last axis).
    public static let cosineSimilarity = Loss(.cosineSimilarity)
    /// `Hinge()` (0/1 labels become −1/1).
    public static let hinge = Loss(.hinge)
    /// `SquaredHinge()`.
    public static let squaredHinge = Loss(.squaredHinge)
    /// `CategoricalHinge()` (one-hot targets).
    public static let categoricalHinge = Loss(.categoricalHinge)
    /// `MeanSquaredError()`.
    public static let meanSquaredError = Loss(.meanSquaredError)
    /// `MeanAbsoluteError()`.
    public static let meanAbsoluteError = Loss(.meanAbsoluteError)

    /// Keras's `backend.epsilon()`, the clip margin for probabilities.
    static let epsilon: Float = 1e-7

    /// The per-sample losses for a batch (shape `[batch]` for rank-2 predictions), and for `ignoreClass` the mask of
    /// the counted samples.
    public func perSample(yTrue: Tensor, yPred: Tensor) throws -> Tensor {
        try perSampleMasked(yTrue: yTrue, yPred: yPred).losses
    }

    private func perSampleMasked(yTrue: Tensor, yPred: Tensor) throws -> (losses: Tensor, mask: Tensor?) {
        switch kind {
        case .sparseCategoricalCrossentropy:
            let classes = yPred.shape.last ?? 0
            var labels = yTrue.rank == yPred.rank && yTrue.shape.last == 1 ? yTrue.reshaped(to: Array(yTrue.shape.dropLast())) : yTrue
            guard labels.shape == Array(yPred.shape.dropLast()) else {
                let expected = Array(yPred.shape.dropLast())
                throw ShapeError("sparse_categorical_crossentropy: labels of shape \(yTrue.shape) do not match predictions of shape \(yPred.shape): expected class indices of shape \(expected) or \(expected + [1])\(yTrue.shape == yPred.shape ? " (one-hot labels take categorical_crossentropy)" : "")")
            }
            guard let ignoreClass else { return (try crossentropy(oneHot: Self.oneHot(labels, classes: classes), yPred), nil) }
            let ignored = Float(ignoreClass)
            let mask = Tensor(shape: labels.shape, scalars: labels.scalars.map { $0 == ignored ? 0 : 1 })
            labels = Tensor(shape: labels.shape, scalars: labels.scalars.map { $0 == ignored ? 0 : $0 })
            return (try crossentropy(oneHot: Self.oneHot(labels, classes: classes), yPred) * mask, mask)
        case .categoricalCrossentropy:
            guard yTrue.shape == yPred.shape else {
                throw ShapeError("categorical_crossentropy: targets of shape \(yTrue.shape) must match predictions of shape \(yPred.shape) (use one-hot labels, or sparse_categorical_crossentropy for class ids)")
            }
            let smoothed = labelSmoothing == 0 ? yTrue : yTrue * (1 - labelSmoothing) + labelSmoothing / Float(yTrue.shape.last ?? 1)
            return (try crossentropy(oneHot: smoothed, yPred), nil)
        case .binaryCrossentropy:
            var t = try matching(yTrue, yPred)
            if labelSmoothing != 0 { t = t * (1 - labelSmoothing) + 0.5 * labelSmoothing }
            let terms: Tensor
            if fromLogits {
                // −t·log σ(x) − (1−t)·log σ(−x), with log σ(x) = −softplus(−x).
                terms = t * yPred.negated().applying(.softplus) + (Tensor(1) - t) * yPred.applying(.softplus)
            } else {
                let p = yPred.clipped(to: Self.epsilon, 1 - Self.epsilon)
                terms = (t * p.log() + (Tensor(1) - t) * (Tensor(1) - p).log()).negated()
            }
            return (terms.mean(alongAxis: -1), nil)
        case .meanSquaredError:
            return ((try matching(yTrue, yPred) - yPred).squared().mean(alongAxis: -1), nil)
        case .meanAbsoluteError:
            return ((try matching(yTrue, yPred) - yPred).abs().mean(alongAxis: -1), nil)
        default:
            return (try OtherLosses.perSample(kind, yTrue: try matching(yTrue, yPred), yPred: yPred), nil)
        }
    }

    /// The reduced (scalar) loss: `sum(per-sample losses) / count`.
    public func callAsFunction(yTrue: Tensor, yPred: Tensor) throws -> Tensor {
        try callAsFunction(yTrue: yTrue, yPred: yPred, sampleWeight: nil)
    }

    /// The reduced loss with each sample's loss multiplied by its weight: `sum(w · losses) / count` (Keras divides
    /// by the number of losses, not by the sum of the weights). `sampleWeight` holds one weight per sample, or one
    /// per sample and step (shaped like the losses, e.g. `[batch, time]`).
    ///
    /// `mask` is the mask the predictions carry (a model output's `_keras_mask`, shaped like the losses): masked
    /// losses count for nothing and the sum is divided by the number of unmasked ones (Keras's `apply_mask` for the
    /// `sum_over_batch_size` reduction; 0 when every one is masked). With `ignoreClass`, the ignored targets are
    /// masked the same way (both masks count together).
    public func callAsFunction(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?, mask outputMask: Tensor? = nil) throws -> Tensor {
        var (losses, mask) = try perSampleMasked(yTrue: yTrue, yPred: yPred)
        if let outputMask {
            guard outputMask.shape == losses.shape else {
                throw ShapeError("\(kind.rawValue): the predictions' mask of shape \(outputMask.shape) does not match the per-step losses of shape \(losses.shape)")
            }
            losses = losses * outputMask
            mask = mask.map { $0 * outputMask } ?? outputMask
        }
        if let w = sampleWeight {
            let batch = losses.shape.first ?? 0
            if w.shape == losses.shape {
                losses = losses * w
            } else {
                guard w.count == batch else {
                    throw ShapeError("sample weights of shape \(w.shape) do not match a batch of losses of shape \(losses.shape): expected one weight per sample or per sample and step")
                }
                losses = losses * w.reshaped(to: [batch] + Array(repeating: 1, count: max(0, losses.rank - 1)))
            }
        }
        let counted = mask.map { $0.scalars.reduce(0, +) } ?? Float(losses.count)
        return counted > 0 ? losses.sum() / counted : losses.sum() * 0
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
