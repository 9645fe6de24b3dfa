import Foundation

/// `model.fit`, `model.evaluate` and one training step.
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
        guard let optimizer, loss != nil else {
            throw TrainingError("model '\(name)' must be compiled before fit: call compile(optimizer:loss:metrics:) or load a file with a compile_config")
        }
        try checkTrainingData(x: x, y: y)
        guard batchSize > 0, epochs >= 0 else { throw TrainingError("batch size must be positive and epochs non-negative, got batchSize \(batchSize), epochs \(epochs)") }
        guard (0..<1).contains(validationSplit) else { throw TrainingError("validation_split must be in [0, 1), got \(validationSplit)") }

        var (trainX, trainY) = (x, y)
        var validation = validationData
        if validationSplit > 0, validation == nil {
            let n = x.shape[0]
            let splitAt = Int((Double(n) * (1.0 - validationSplit)).rounded(.down))
            guard splitAt > 0, splitAt < n else {
                throw TrainingError("validation_split \(validationSplit) of \(n) samples leaves an empty training or validation set")
            }
            (trainX, trainY) = (x.rows(0..<splitAt), y.rows(0..<splitAt))
            validation = (x.rows(splitAt..<n), y.rows(splitAt..<n))
        }
        if let v = validation { try checkTrainingData(x: v.x, y: v.y) }

        var rng = seed.map { RandomGenerator(seed: $0) } ?? RandomGenerator()
        if let seed { reseedLayers(seed) }
        let variables = trainableVariables
        optimizer.build(variables)
        let n = trainX.shape[0]
        let steps = (n + batchSize - 1) / batchSize
        var history = History()
        for epoch in 0..<epochs {
            let start = Date()
            progress.beginEpoch(epoch + 1, of: epochs, steps: steps)
            var order = Array(0..<n)
            if shuffle { order.shuffle(using: &rng) }
            var lossMean = RunningMean()
            var metricMeans = [RunningMean](repeating: RunningMean(), count: metrics.count)
            for step in 0..<steps {
                let rows = Array(order[(step * batchSize)..<min(n, (step + 1) * batchSize)])
                let (xb, yb) = (trainX.gathering(rows: rows), trainY.gathering(rows: rows))
                let (lossValue, prediction) = try trainStep(x: xb, y: yb, variables: variables)
                if !lossValue.isFinite { progress.warn("loss is \(lossValue) at epoch \(epoch + 1), step \(step + 1): training diverged (check the learning rate and the inputs' scale)") }
                lossMean.add(Double(lossValue), weight: Double(rows.count))
                for (i, metric) in metrics.enumerated() { metricMeans[i].add(values: metric.perSample(yTrue: yb, yPred: prediction)) }
                var logs = TrainingLogs()
                logs["loss"] = lossMean.value
                for (i, metric) in metrics.enumerated() { logs[metric.name] = metricMeans[i].value }
                progress.step(step + 1, logs: logs, elapsed: Date().timeIntervalSince(start))
            }
            var logs = TrainingLogs()
            logs["loss"] = lossMean.value
            for (i, metric) in metrics.enumerated() { logs[metric.name] = metricMeans[i].value }
            if let v = validation {
                for (name, value) in try evaluate(x: v.x, y: v.y, batchSize: batchSize).pairs { logs["val_" + name] = value }
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
        guard let optimizer, let loss else { throw TrainingError("model '\(name)' is not compiled") }
        let watched = variables ?? trainableVariables
        let tape = GradientTape(watching: watched)
        defer { tape.stop() }
        let prediction = try self(x, training: true)
        let value = try loss(yTrue: y, yPred: prediction)
        optimizer.apply(tape.gradients(of: value), to: watched)
        return (value.scalar, prediction.detached)
    }

    /// The loss and metrics over `x`, `y` in inference mode (Keras's `model.evaluate`).
    public func evaluate(x: Tensor, y: Tensor, batchSize: Int = 32) throws -> TrainingLogs {
        guard let loss else { throw TrainingError("model '\(name)' must be compiled before evaluate") }
        try checkTrainingData(x: x, y: y)
        var lossMean = RunningMean()
        var metricMeans = [RunningMean](repeating: RunningMean(), count: metrics.count)
        let n = x.shape[0]
        for start in stride(from: 0, to: n, by: max(1, batchSize)) {
            let range = start..<min(n, start + max(1, batchSize))
            let (xb, yb) = (x.rows(range), y.rows(range))
            let prediction = try self(xb, training: false)
            lossMean.add(Double(try loss(yTrue: yb, yPred: prediction).scalar), weight: Double(range.count))
            for (i, metric) in metrics.enumerated() { metricMeans[i].add(values: metric.perSample(yTrue: yb, yPred: prediction)) }
        }
        var logs = TrainingLogs()
        logs["loss"] = lossMean.value
        for (i, metric) in metrics.enumerated() { logs[metric.name] = metricMeans[i].value }
        return logs
    }

    private func checkTrainingData(x: Tensor, y: Tensor) throws {
        try checkInput(x)
        guard x.rank >= 1, y.rank >= 1, x.shape[0] == y.shape[0] else {
            throw TrainingError("x and y must have the same number of samples, got x \(x.shape) and y \(y.shape)")
        }
        guard x.shape[0] > 0 else { throw TrainingError("no samples to train on") }
        if let bad = x.scalars.firstIndex(where: { !$0.isFinite }) {
            throw TrainingError("x holds a non-finite value (\(x.scalars[bad])) at flat index \(bad)")
        }
        if let bad = y.scalars.firstIndex(where: { !$0.isFinite }) {
            throw TrainingError("y holds a non-finite value (\(y.scalars[bad])) at flat index \(bad)")
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
