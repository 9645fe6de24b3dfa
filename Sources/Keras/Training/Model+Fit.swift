import Foundation
import TensorEngine

/// `model.fit`, `model.evaluate` and one training step.
///
/// Models with several inputs take one array per input (`x: [a, b]`, in the model's input order); models with
/// several outputs take one target array per output, and the compiled loss is applied to each output and summed
/// (Keras's behaviour for a single loss). Metrics are computed for single-output models.
extension Model {
    /// Trains the model (Keras's `model.fit`): `validationSplit` takes the *last* fraction of the samples,
    /// before any shuffling; the training part is shuffled each epoch when `shuffle` is on; batches are
    /// `batchSize` rows with a partial last batch. Dropout is active only here.
    ///
    /// - Parameter seed: makes shuffling and dropout reproducible.
    /// - Parameter progress: where per-epoch progress goes (`.silent` for none).
    @discardableResult
    public func fit(x: Tensor, y: Tensor, batchSize: Int = 32, epochs: Int = 1, validationSplit: Double = 0,
                    validationData: (x: Tensor, y: Tensor)? = nil, shuffle: Bool = true, seed: UInt64? = nil,
                    progress: ProgressReporter = .silent) throws -> History {
        try fit(x: [x], y: [y], batchSize: batchSize, epochs: epochs, validationSplit: validationSplit,
                validationData: validationData.map { ([$0.x], [$0.y]) }, shuffle: shuffle, seed: seed, progress: progress)
    }

    /// `fit` for models with several inputs or outputs: one array per input in `x`, one per output in `y`.
    @discardableResult
    public func fit(x: [Tensor], y: [Tensor], batchSize: Int = 32, epochs: Int = 1, validationSplit: Double = 0,
                    validationData: (x: [Tensor], y: [Tensor])? = nil, shuffle: Bool = true, seed: UInt64? = nil,
                    progress: ProgressReporter = .silent) throws -> History {
        guard let optimizer, loss != nil else {
            throw TrainingError("model '\(name)' must be compiled before fit: " + (compileProblem.map { "\($0)" } ?? "call compile(optimizer:loss:metrics:) or load a file with a compile_config"))
        }
        try checkTrainingData(x: x, y: y)
        guard batchSize > 0, epochs >= 0 else { throw TrainingError("batch size must be positive and epochs non-negative, got batchSize \(batchSize), epochs \(epochs)") }
        guard (0..<1).contains(validationSplit) else { throw TrainingError("validation_split must be in [0, 1), got \(validationSplit)") }

        // The training rows are 0..<n of x and y; with validation_split the last rows are held out by index, so
        // the data is never copied (batches are gathered from x and y directly).
        var n = x[0].shape[0]
        var validation = validationData.map { (x: $0.x, y: $0.y, rows: 0..<($0.x.first?.shape.first ?? 0)) }
        if validationSplit > 0, validationData == nil {
            let splitAt = Int((Double(n) * (1.0 - validationSplit)).rounded(.down))
            guard splitAt > 0, splitAt < n else {
                throw TrainingError("validation_split \(validationSplit) of \(n) samples leaves an empty training or validation set")
            }
            validation = (x, y, splitAt..<n)
            n = splitAt
        }
        if let v = validationData { try checkTrainingData(x: v.x, y: v.y) }

        var rng = seed.map { RandomGenerator(seed: $0) } ?? RandomGenerator()
        if let seed { reseedLayers(seed) }
        let variables = trainableVariables
        optimizer.build(variables)
        let steps = (n + batchSize - 1) / batchSize
        var history = History()
        for epoch in 0..<epochs {
            let start = Date()
            progress.beginEpoch(epoch + 1, of: epochs, steps: steps)
            var order = Array(0..<n)
            if shuffle { order.shuffle(using: &rng) }
            var means = LogMeans(self)
            for step in 0..<steps {
                let rows = Array(order[(step * batchSize)..<min(n, (step + 1) * batchSize)])
                let (xb, yb) = (x.map { $0.gathering(rows: rows) }, y.map { $0.gathering(rows: rows) })
                let (losses, predictions) = try self.step(x: xb, y: yb, variables: variables)
                let lossValue = losses.total
                if !lossValue.isFinite { progress.warn("loss is \(lossValue) at epoch \(epoch + 1), step \(step + 1): training diverged (check the learning rate and the inputs' scale)") }
                means.add(losses, count: rows.count, yTrue: yb, yPred: predictions)
                progress.step(step + 1, logs: means.logs, elapsed: Date().timeIntervalSince(start))
            }
            var logs = means.logs
            if let v = validation {
                for (name, value) in try evaluate(x: v.x, y: v.y, rows: v.rows, batchSize: batchSize).pairs { logs["val_" + name] = value }
            }
            let seconds = Date().timeIntervalSince(start)
            history.append(logs)
            history.epochSeconds.append(seconds)
            progress.endEpoch(steps: steps, logs: logs, elapsed: seconds)
        }
        return history
    }

    /// One optimizer step on a batch; returns the batch loss and the (detached) predictions.
    public func trainStep(x: Tensor, y: Tensor, variables: [Variable]? = nil) throws -> (loss: Float, prediction: Tensor) {
        let (loss, predictions) = try trainStep(x: [x], y: [y], variables: variables)
        return (loss, predictions[0])
    }

    /// One optimizer step on a batch of a model with several inputs or outputs; returns the batch loss (the
    /// weighted sum over the outputs) and the (detached) predictions, one per output.
    public func trainStep(x: [Tensor], y: [Tensor], variables: [Variable]? = nil) throws -> (loss: Float, predictions: [Tensor]) {
        let (losses, predictions) = try step(x: x, y: y, variables: variables)
        return (losses.total, predictions)
    }

    private func step(x: [Tensor], y: [Tensor], variables: [Variable]?) throws -> (losses: BatchLosses, predictions: [Tensor]) {
        guard let optimizer else { throw TrainingError("model '\(name)' is not compiled") }
        let watched = variables ?? trainableVariables
        // The recorded graph is dropped before the update, so the optimizer writes the weights in place instead
        // of copying the buffers the graph still shares.
        let (gradients, losses, predictions): ([Tensor], BatchLosses, [Tensor]) = try {
            let tape = GradientTape(watching: watched)
            defer { tape.stop() }
            let predictions = try run(x, training: true)
            let (total, perOutput) = try totalLoss(yTrue: y, yPred: predictions)
            return (tape.gradients(of: total), BatchLosses(total: total.scalar, perOutput: perOutput), predictions.map(\.detached))
        }()
        optimizer.apply(gradients, to: watched)
        return (losses, predictions)
    }

    /// The loss and metrics over `x`, `y` in inference mode (Keras's `model.evaluate`).
    public func evaluate(x: Tensor, y: Tensor, batchSize: Int = 32) throws -> TrainingLogs {
        try evaluate(x: [x], y: [y], batchSize: batchSize)
    }

    /// `evaluate` for models with several inputs or outputs.
    public func evaluate(x: [Tensor], y: [Tensor], batchSize: Int = 32) throws -> TrainingLogs {
        try checkTrainingData(x: x, y: y)
        return try evaluate(x: x, y: y, rows: 0..<x[0].shape[0], batchSize: batchSize)
    }

    /// `evaluate` over the rows `rows` of already checked arrays.
    private func evaluate(x: [Tensor], y: [Tensor], rows: Range<Int>, batchSize: Int) throws -> TrainingLogs {
        guard loss != nil else { throw TrainingError("model '\(name)' must be compiled before evaluate") }
        var means = LogMeans(self)
        for start in stride(from: rows.lowerBound, to: rows.upperBound, by: max(1, batchSize)) {
            let range = start..<min(rows.upperBound, start + max(1, batchSize))
            let (xb, yb) = (x.map { $0.rows(range) }, y.map { $0.rows(range) })
            let predictions = try run(xb, training: false)
            let (total, perOutput) = try totalLoss(yTrue: yb, yPred: predictions)
            means.add(BatchLosses(total: total.scalar, perOutput: perOutput), count: range.count, yTrue: yb, yPred: predictions)
        }
        return means.logs
    }

    /// Each output's loss (its own, or the one compiled loss) and their sum weighted by `lossWeights`, as Keras's
    /// `CompileLoss` computes it; the per-output values are unweighted (what Keras logs as `<output>_loss`).
    private func totalLoss(yTrue: [Tensor], yPred: [Tensor]) throws -> (total: Tensor, perOutput: [Float]) {
        guard let loss else { throw TrainingError("model '\(name)' is not compiled") }
        var total: Tensor?
        var perOutput: [Float] = []
        for (i, (t, p)) in zip(yTrue, yPred).enumerated() {
            let lossFunction = i < outputLosses.count ? outputLosses[i] : loss
            var value = try lossFunction(yTrue: t, yPred: p)
            perOutput.append(value.scalar)
            if i < lossWeights.count { value = value * lossWeights[i] }
            total = total.map { $0 + value } ?? value
        }
        return (total ?? Tensor(0), perOutput)
    }

    private func checkTrainingData(x: [Tensor], y: [Tensor]) throws {
        try checkInputs(x)
        guard y.count == outputCount else {
            throw TrainingError("model '\(name)' has \(outputCount) output\(outputCount == 1 ? "" : "s"), got \(y.count) target array\(y.count == 1 ? "" : "s")")
        }
        if outputCount > 1, !metrics.isEmpty, outputMetrics.isEmpty {
            throw TrainingError("model '\(name)' has \(outputCount) outputs: give its metrics per output, compile(optimizer:losses:lossWeights:metrics:) with one list per output")
        }
        let n = x[0].shape.first ?? 0
        for t in y {
            guard t.rank >= 1, t.shape[0] == n else {
                throw TrainingError("x and y must have the same number of samples, got x \(x[0].shape) and y \(t.shape)")
            }
        }
        guard n > 0 else { throw TrainingError("no samples to train on") }
        for (what, arrays) in [("x", x), ("y", y)] {
            for (i, array) in arrays.enumerated() {
                if let bad = array.scalars.firstIndex(where: { !$0.isFinite }) {
                    let label = arrays.count == 1 ? what : "\(what)[\(i)]"
                    throw TrainingError("\(label) holds a non-finite value (\(array.scalars[bad])) at flat index \(bad)")
                }
            }
        }
    }

    /// Gives every layer (recursively) its own generator derived from `seed`.
    func reseedLayers(_ seed: UInt64) {
        for (i, layer) in layers.enumerated() {
            layer.rng = RandomGenerator(seed: seed &+ UInt64(i + 1) &* 0x9E37_79B9)
            (layer as? Model)?.reseedLayers(seed &+ UInt64(i + 1))
        }
    }
}

/// One batch's total loss and each output's unweighted loss.
private struct BatchLosses {
    let total: Float
    let perOutput: [Float]
}

/// The running, sample-weighted means of the loss and metrics over an epoch or an evaluation, named as Keras logs
/// them: `loss`, then for a model with several outputs `<output>_loss` and `<output>_<metric>`.
private struct LogMeans {
    /// The output names when there are several outputs; empty otherwise (no prefixes, no per-output losses).
    let outputNames: [String]
    let metrics: [[Metric]]
    var loss = RunningMean()
    var outputLosses: [RunningMean]
    var metricMeans: [[RunningMean]]

    init(_ model: Model) {
        let count = model.outputCount
        outputNames = count > 1 ? model.outputNames : []
        metrics = count > 1 ? (0..<count).map { $0 < model.outputMetrics.count ? model.outputMetrics[$0] : [] } : [model.metrics]
        outputLosses = [RunningMean](repeating: RunningMean(), count: outputNames.count)
        metricMeans = metrics.map { [RunningMean](repeating: RunningMean(), count: $0.count) }
    }

    mutating func add(_ losses: BatchLosses, count: Int, yTrue: [Tensor], yPred: [Tensor]) {
        loss.add(Double(losses.total), weight: Double(count))
        for (i, value) in losses.perOutput.enumerated() where i < outputLosses.count {
            outputLosses[i].add(Double(value), weight: Double(count))
        }
        for (o, outputMetrics) in metrics.enumerated() {
            for (i, metric) in outputMetrics.enumerated() {
                metricMeans[o][i].add(values: metric.perSample(yTrue: yTrue[o], yPred: yPred[o]))
            }
        }
    }

    var logs: TrainingLogs {
        var logs = TrainingLogs()
        logs["loss"] = loss.value
        for (name, mean) in zip(outputNames, outputLosses) { logs[name + "_loss"] = mean.value }
        for (o, outputMetrics) in metrics.enumerated() {
            let prefix = outputNames.isEmpty ? "" : outputNames[o] + "_"
            for (i, metric) in outputMetrics.enumerated() { logs[prefix + metric.name] = metricMeans[o][i].value }
        }
        return logs
    }
}
