import TensorEngine

/// A Keras metric reported during `fit` and `evaluate`, under the name the user gave it.
public struct Metric: Sendable, Equatable {
    /// The metric functions this package implements.
    public enum Kind: String, Sendable, CaseIterable {
        /// How often the highest-scoring class equals the integer label.
        case sparseCategoricalAccuracy = "sparse_categorical_accuracy"
        /// How often the highest-scoring class equals the one-hot label's class.
        case categoricalAccuracy = "categorical_accuracy"
        /// How often `ŷ > 0.5` equals the 0/1 label.
        case binaryAccuracy = "binary_accuracy"
        /// `"accuracy"` / `"acc"`: resolved at the first batch from the shapes, as Keras does.
        case accuracy
        /// The mean over the last axis of `|y − ŷ|` (`"mae"`).
        case meanAbsoluteError = "mean_absolute_error"
        /// The mean over the last axis of `(y − ŷ)²` (`"mse"`).
        case meanSquaredError = "mean_squared_error"
        /// Whether the one-hot target's class is among the `k` highest predictions.
        case topKCategoricalAccuracy = "top_k_categorical_accuracy"
        /// Whether the class id is among the `k` highest predictions.
        case sparseTopKCategoricalAccuracy = "sparse_top_k_categorical_accuracy"
        /// `tp / (tp + fp)` over the epoch, predictions above `threshold` counting as positive.
        case precision
        /// `tp / (tp + fn)` over the epoch.
        case recall
        /// The area under the ROC curve over the epoch, from `numThresholds` thresholds (interpolated).
        case auc

        /// The Keras class name.
        public var className: String {
            switch self {
            case .sparseCategoricalAccuracy: return "SparseCategoricalAccuracy"
            case .categoricalAccuracy: return "CategoricalAccuracy"
            case .binaryAccuracy: return "BinaryAccuracy"
            case .accuracy: return "Accuracy"
            case .meanAbsoluteError: return "MeanAbsoluteError"
            case .meanSquaredError: return "MeanSquaredError"
            case .topKCategoricalAccuracy: return "TopKCategoricalAccuracy"
            case .sparseTopKCategoricalAccuracy: return "SparseTopKCategoricalAccuracy"
            case .precision: return "Precision"
            case .recall: return "Recall"
            case .auc: return "AUC"
            }
        }

        /// Whether the metric is a ratio of counts over the epoch rather than a mean of per-sample values.
        var isConfusionMetric: Bool { [.precision, .recall, .auc].contains(self) }
    }

    /// Which metric.
    public var kind: Kind
    /// The name in history and logs (`accuracy`, `sparse_categorical_accuracy`, …).
    public var name: String
    /// Top-k accuracies: how many of the highest predictions count (Keras's default 5).
    public var k: Int = 5
    /// Precision and recall: predictions above it are positive (Keras's default 0.5).
    public var threshold: Float = 0.5
    /// AUC: the number of thresholds (Keras's default 200).
    public var numThresholds: Int = 200

    /// A metric of `kind`, reported as `name` (its Keras name by default).
    public init(_ kind: Kind, name: String? = nil, k: Int = 5, threshold: Float = 0.5, numThresholds: Int = 200) {
        self.kind = kind
        self.name = name ?? kind.rawValue
        self.k = k
        self.threshold = threshold
        self.numThresholds = numThresholds
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
        case .topKCategoricalAccuracy, .sparseTopKCategoricalAccuracy:
            let width = max(1, yPred.shape.last ?? 1)
            let labels = m.kind == .topKCategoricalAccuracy ? yTrue.argmaxLastAxis() : yTrue.scalars.map { Int($0) }
            return labels.enumerated().map { s, label in
                // Keras's in_top_k: the rank of the label's score is 1 + the number of strictly greater scores.
                guard label >= 0 && label < width else { return 0 }
                let row = yPred.scalars[(s * width)..<((s + 1) * width)]
                let score = row[row.startIndex + label].isNaN ? -Float.infinity : row[row.startIndex + label]
                return 1 + row.count(where: { $0 > score }) <= k ? 1 : 0
            }
        case .precision, .recall, .auc:
            return []   // counted by ConfusionCounts
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
    /// Each value weighted by its sample's weight (Keras's `Mean` with `sample_weight`); all 1 when `nil`.
    mutating func add(values: [Float], weights: [Float]?) {
        guard let weights else { return add(values: values) }
        for (v, w) in zip(values, weights) { total += Double(v) * Double(w); count += Double(w) }
    }
    var value: Double { count > 0 ? total / count : 0 }
}

/// The true/false positive/negative counts of Precision, Recall and AUC at each threshold, over an epoch (Keras's
/// confusion-matrix variables): every element of the targets is one example, positive when non-zero, predicted
/// positive when the prediction is above the threshold.
struct ConfusionCounts {
    let metric: Metric
    let thresholds: [Float]
    var tp: [Double], fp: [Double], tn: [Double], fn: [Double]

    init(_ metric: Metric) {
        self.metric = metric
        if metric.kind == .auc {
            // Keras's evenly spaced thresholds: −ε, 1/(n−1) … (n−2)/(n−1), 1+ε.
            let n = max(metric.numThresholds, 2)
            thresholds = [-Loss.epsilon] + (0..<(n - 2)).map { Float(Double($0 + 1) / Double(n - 1)) } + [1 + Loss.epsilon]
        } else {
            thresholds = [metric.threshold]
        }
        (tp, fp, tn, fn) = Array(repeating: [Double](repeating: 0, count: thresholds.count), count: 4).splat4
    }

    /// Adds a batch; with `sampleWeight` (one per sample, or per sample and step) each element counts by the weight
    /// of its sample (or step).
    mutating func add(yTrue: Tensor, yPred: Tensor, sampleWeight: [Float]? = nil) {
        let perWeight = max(1, yTrue.count / max(1, sampleWeight?.count ?? 1))
        let weight = { (element: Int) -> Double in sampleWeight.map { Double($0[Swift.min(element / perWeight, $0.count - 1)]) } ?? 1 }
        if metric.kind == .auc {
            // Keras's bucketed update for evenly spaced thresholds: the prediction clipped to [0, 1] falls in bucket
            // max(0, ⌈p·(n−1)⌉ − 1) and counts as positive at every threshold up to its bucket.
            let n = thresholds.count
            for (e, (t, p)) in zip(yTrue.scalars, yPred.scalars).enumerated() {
                let clipped = Swift.min(Swift.max(p, 0), 1)
                let bucket = Swift.max(0, Int((clipped * Float(n - 1)).rounded(.up)) - 1)
                for i in 0..<n { count(t != 0, predictedPositive: i <= bucket, at: i, weight: weight(e)) }
            }
            return
        }
        for (e, (t, p)) in zip(yTrue.scalars, yPred.scalars).enumerated() {
            for (i, threshold) in thresholds.enumerated() { count(t != 0, predictedPositive: p > threshold, at: i, weight: weight(e)) }
        }
    }

    private mutating func count(_ positive: Bool, predictedPositive: Bool, at i: Int, weight: Double) {
        switch (positive, predictedPositive) {
        case (true, true): tp[i] += weight
        case (false, true): fp[i] += weight
        case (false, false): tn[i] += weight
        case (true, false): fn[i] += weight
        }
    }

    var value: Double {
        func ratio(_ a: Double, _ b: Double) -> Double { b == 0 ? 0 : a / b }
        switch metric.kind {
        case .precision: return ratio(tp[0], tp[0] + fp[0])
        case .recall: return ratio(tp[0], tp[0] + fn[0])
        default:
            // ROC with interpolation: Σ (fpr[i] − fpr[i+1]) · (tpr[i] + tpr[i+1]) / 2, in float32 as Keras computes it.
            let tpr = (0..<thresholds.count).map { Float(ratio(tp[$0], tp[$0] + fn[$0])) }
            let fpr = (0..<thresholds.count).map { Float(ratio(fp[$0], fp[$0] + tn[$0])) }
            var area: Float = 0
            for i in 0..<(thresholds.count - 1) { area += (fpr[i] - fpr[i + 1]) * ((tpr[i] + tpr[i + 1]) / 2) }
            return Double(area)
        }
    }
}

private extension Array {
    var splat4: (Element, Element, Element, Element) { (self[0], self[1], self[2], self[3]) }
}
