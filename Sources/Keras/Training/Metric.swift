import TensorEngine

/// A Keras metric reported during `fit` and `evaluate`, under the name the user gave it.
public struct Metric: Sendable, Equatable {
    /// The metric functions this package implements.
    public enum Kind: String, Sendable, CaseIterable {
        case sparseCategoricalAccuracy = "sparse_categorical_accuracy"
        case categoricalAccuracy = "categorical_accuracy"
        case binaryAccuracy = "binary_accuracy"
        /// `"accuracy"` / `"acc"`: resolved at the first batch from the shapes, as Keras does.
        case accuracy
        /// The mean over the last axis of `|y − ŷ|` (`"mae"`).
        case meanAbsoluteError = "mean_absolute_error"
        /// The mean over the last axis of `(y − ŷ)²` (`"mse"`).
        case meanSquaredError = "mean_squared_error"

        /// The Keras class name.
        public var className: String {
            switch self {
            case .sparseCategoricalAccuracy: return "SparseCategoricalAccuracy"
            case .categoricalAccuracy: return "CategoricalAccuracy"
            case .binaryAccuracy: return "BinaryAccuracy"
            case .accuracy: return "Accuracy"
            case .meanAbsoluteError: return "MeanAbsoluteError"
            case .meanSquaredError: return "MeanSquaredError"
            }
        }
    }

    public var kind: Kind
    /// The name in history and logs (`accuracy`, `sparse_categorical_accuracy`, …).
    public var name: String

    /// A metric of `kind`, reported as `name` (its Keras name by default).
    public init(_ kind: Kind, name: String? = nil) {
        self.kind = kind
        self.name = name ?? kind.rawValue
    }

    /// Keras's `"accuracy"`: binary when predictions have one column, sparse when targets have fewer axes (or a
    /// trailing axis of 1), categorical otherwise.
    public func resolved(yTrue: Tensor, yPred: Tensor) -> Metric {
        guard kind == .accuracy else { return self }
        let isBinary = yPred.shape.last == 1
        let isSparse = yTrue.rank < yPred.rank || (yTrue.shape.last == 1 && (yPred.shape.last ?? 1) > 1)
        return Metric(isBinary ? .binaryAccuracy : isSparse ? .sparseCategoricalAccuracy : .categoricalAccuracy, name: name)
    }

    /// One value per sample (1 for a hit, 0 for a miss).
    public func perSample(yTrue: Tensor, yPred: Tensor) -> [Float] {
        let m = resolved(yTrue: yTrue, yPred: yPred)
        switch m.kind {
        case .sparseCategoricalAccuracy:
            return zip(yTrue.scalars, yPred.argmaxLastAxis()).map { Float($0) == Float($1) ? 1 : 0 }
        case .categoricalAccuracy:
            return zip(yTrue.argmaxLastAxis(), yPred.argmaxLastAxis()).map { $0 == $1 ? 1 : 0 }
        case .binaryAccuracy, .accuracy:
            return zip(yTrue.scalars, yPred.scalars).map { t, p in Float(p > 0.5 ? 1 : 0) == t ? 1 : 0 }
        case .meanAbsoluteError, .meanSquaredError:
            // Per sample: the mean over the last axis (targets of shape [batch] against [batch, 1] line up).
            let width = max(1, yPred.shape.last ?? 1)
            let samples = yPred.count / width
            guard yTrue.count == yPred.count else { return [Float](repeating: .nan, count: samples) }
            return (0..<samples).map { s in
                var sum: Float = 0
                for j in 0..<width {
                    let d = yTrue.scalars[s * width + j] - yPred.scalars[s * width + j]
                    sum += m.kind == .meanAbsoluteError ? abs(d) : d * d
                }
                return sum / Float(width)
            }
        }
    }
}

/// A running mean weighted by sample counts, like Keras's `Mean` metric state.
struct RunningMean {
    private(set) var total: Double = 0
    private(set) var count: Double = 0

    mutating func add(_ value: Double, weight: Double) { total += value * weight; count += weight }
    mutating func add(values: [Float]) { total += values.reduce(0) { $0 + Double($1) }; count += Double(values.count) }
    var value: Double { count > 0 ? total / count : 0 }
}
