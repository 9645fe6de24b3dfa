import TensorEngine

/// The running means of the loss and metrics over an epoch or an evaluation, named as Keras logs them: `loss`,
/// then for a model with several outputs `<output>_loss`, then each metric (`<output>_<metric>` for several
/// outputs), then each weighted metric; a repeated name gets `_1`, `_2` …, a weighted metric named like a plain one
/// `weighted_<name>` (Keras's `CompileMetrics.result`).
struct LogMeans {
    /// One metric being accumulated: its output, whether sample weights count, its log name.
    private struct Slot {
        let output: Int
        let metric: Metric
        let weighted: Bool
        let name: String
        var mean = RunningMean()
        var confusion: ConfusionCounts?
    }

    /// The output names when there are several outputs; empty otherwise (no prefixes, no per-output losses).
    private let outputNames: [String]
    private var loss = RunningMean()
    private var outputLosses: [RunningMean]
    private var slots: [Slot] = []

    init(_ model: Model) {
        let count = model.outputCount
        outputNames = count > 1 ? model.outputNames : []
        outputLosses = [RunningMean](repeating: RunningMean(), count: outputNames.count)
        let perOutput = count > 1 ? (0..<count).map { $0 < model.outputMetrics.count ? model.outputMetrics[$0] : [] } : [model.metrics]
        var counters: [String: Int] = [:]
        for (o, metrics) in perOutput.enumerated() {
            let prefix = outputNames.isEmpty ? "" : outputNames[o] + "_"
            for metric in metrics {
                var name = prefix + metric.name
                if let index = counters[name] { counters[name] = index + 1; name += "_\(index)" } else { counters[name] = 1 }
                slots.append(Slot(output: o, metric: metric, weighted: false, name: name))
            }
        }
        for metric in model.weightedMetrics {
            var name = metric.name
            if counters[name] != nil {
                name = "weighted_" + metric.name
                if let index = counters[name] { counters[name] = index + 1; name += "_\(index)" } else { counters[name] = 1 }
            } else {
                counters[name] = 1
            }
            slots.append(Slot(output: 0, metric: metric, weighted: true, name: name))
        }
        for i in slots.indices where slots[i].metric.kind.isConfusionMetric { slots[i].confusion = ConfusionCounts(slots[i].metric) }
    }

    /// Adds one batch: the loss weighted by the batch's sample count (Keras's loss tracker), the plain metrics
    /// unweighted, the weighted metrics by `sampleWeight` (one per sample, or per sample and step). The mean metrics
    /// of an output that carries a mask (`masks`, one per output) count its unmasked steps only (Keras's
    /// `MeanMetricWrapper`); Precision, Recall and AUC ignore masks, as Keras's do.
    mutating func add(_ losses: BatchLosses, count: Int, yTrue: [Tensor], yPred: [Tensor], masks: [Tensor?]?, sampleWeight: Tensor?) {
        loss.add(Double(losses.total), weight: Double(count))
        for (i, value) in losses.perOutput.enumerated() where i < outputLosses.count {
            outputLosses[i].add(Double(value), weight: Double(count))
        }
        for i in slots.indices {
            let (t, p, weights) = (yTrue[slots[i].output], yPred[slots[i].output], slots[i].weighted ? sampleWeight?.scalars : nil)
            if slots[i].confusion != nil {
                slots[i].confusion?.add(yTrue: t, yPred: p, sampleWeight: weights)
            } else {
                let values = slots[i].metric.perSample(yTrue: t, yPred: p)
                let mask = masks.flatMap { slots[i].output < $0.count ? $0[slots[i].output] : nil }
                slots[i].mean.add(values: values, weights: Self.valueWeights(weights, mask: mask?.scalars, count: values.count))
            }
        }
    }

    /// The weight of each of a batch's `count` metric values: the sample weights times the mask (Keras's
    /// `apply_mask` into a metric's `sample_weight`), each repeated over the values it covers (a per-sample weight
    /// over its steps, a per-step one over the values of its step); `nil` when there are neither.
    private static func valueWeights(_ sampleWeight: [Float]?, mask: [Float]?, count: Int) -> [Float]? {
        func spread(_ weights: [Float]) -> [Float] {
            guard !weights.isEmpty, count > weights.count, count % weights.count == 0 else { return weights }
            let each = count / weights.count
            return weights.flatMap { repeatElement($0, count: each) }
        }
        switch (sampleWeight.map(spread), mask.map(spread)) {
        case let (w?, m?): return zip(w, m).map { $0 * $1 }
        case let (w, m): return w ?? m
        }
    }

    var logs: TrainingLogs {
        var logs = TrainingLogs()
        logs["loss"] = loss.value
        for (name, mean) in zip(outputNames, outputLosses) { logs[name + "_loss"] = mean.value }
        for slot in slots { logs[slot.name] = slot.confusion?.value ?? slot.mean.value }
        return logs
    }
}
