import Foundation
import TensorEngine

/// `model.fit`, `model.evaluate` and one training step.
///
/// Models with several inputs take one array per input (`x: [a, b]`, in the model's input order); models with
/// several outputs take one target array per output, and the compiled loss is applied to each output and summed
/// (Keras's behaviour for a single loss). Metrics are computed for single-output models. An output that carries a
/// mask (`Embedding(maskZero: true)`, `Masking` … through layers that pass it on) has its loss averaged over the
/// unmasked steps only, as Keras's losses do.
extension Model {
    /// Trains the model (Keras's `model.fit`): `validationSplit` takes the *last* fraction of the samples,
    /// before any shuffling; the training part is shuffled each epoch when `shuffle` is on; batches are
    /// `batchSize` rows with a partial last batch. Dropout is active only here.
    ///
    /// - Parameter x: the inputs, samples along the first axis.
    /// - Parameter y: the targets, one per sample, as the compiled loss expects them (class ids or one-hot rows …).
    /// - Parameter batchSize: samples per optimizer step (the last batch may be smaller).
    /// - Parameter epochs: passes over the training samples.
    /// - Parameter validationSplit: the fraction of the samples, taken from the end before shuffling, held out and
    ///   evaluated after each epoch (`val_` logs).
    /// - Parameter validationData: arrays evaluated after each epoch instead of a split.
    /// - Parameter shuffle: whether the training samples are shuffled before each epoch.
    /// - Parameter sampleWeight: one weight per sample, multiplying its loss (Keras's `sample_weight`), or one per
    ///   sample and step (`[samples, steps]`) for sequence outputs.
    /// - Parameter classWeight: a weight per class id, turned into sample weights from `y` (Keras's `class_weight`).
    /// - Parameter callbacks: called at Keras's hooks; one may stop training (`model.stopTraining`).
    /// - Parameter seed: makes shuffling and dropout reproducible.
    /// - Parameter progress: where per-epoch progress goes (`.silent` for none).
    @discardableResult
    public func fit(x: Tensor, y: Tensor, batchSize: Int = 32, epochs: Int = 1, validationSplit: Double = 0,
                    validationData: (x: Tensor, y: Tensor)? = nil, shuffle: Bool = true, seed: UInt64? = nil,
                    sampleWeight: Tensor? = nil, classWeight: [Int: Float]? = nil, callbacks: [any Callback] = [],
                    progress: ProgressReporter = .silent) throws -> History {
        try fit(x: [x], y: [y], batchSize: batchSize, epochs: epochs, validationSplit: validationSplit,
                validationData: validationData.map { ([$0.x], [$0.y]) }, shuffle: shuffle, seed: seed,
                sampleWeight: sampleWeight, classWeight: classWeight, callbacks: callbacks, progress: progress)
    }

    /// `fit` for models with several inputs or outputs: one array per input in `x`, one per output in `y`.
    @discardableResult
    public func fit(x: [Tensor], y: [Tensor], batchSize: Int = 32, epochs: Int = 1, validationSplit: Double = 0,
                    validationData: (x: [Tensor], y: [Tensor])? = nil, shuffle: Bool = true, seed: UInt64? = nil,
                    sampleWeight: Tensor? = nil, classWeight: [Int: Float]? = nil, callbacks: [any Callback] = [],
                    progress: ProgressReporter = .silent) throws -> History {
        try fit(x: x as [any SampleSource], y: y, batchSize: batchSize, epochs: epochs, validationSplit: validationSplit,
                validationData: validationData.map { ($0.x as [any SampleSource], $0.y) }, shuffle: shuffle, seed: seed,
                sampleWeight: sampleWeight, classWeight: classWeight, callbacks: callbacks, progress: progress)
    }

    /// `fit` on inputs read batch by batch from sample sources, one per model input: a `Tensor`, or a `MappedNPY`
    /// file whose rows are copied one batch at a time (the dataset is never copied as a whole). The targets are
    /// tensors, one per output. Same batches, order and results as with the inputs in tensors.
    @discardableResult
    public func fit(x: [any SampleSource], y: [Tensor], batchSize: Int = 32, epochs: Int = 1, validationSplit: Double = 0,
                    validationData: (x: [any SampleSource], y: [Tensor])? = nil, shuffle: Bool = true, seed: UInt64? = nil,
                    sampleWeight: Tensor? = nil, classWeight: [Int: Float]? = nil, callbacks: [any Callback] = [],
                    progress: ProgressReporter = .silent) throws -> History {
        let floatMode = FloatMode.flushingSubnormals()
        defer { floatMode.restore() }
        guard let optimizer, loss != nil else {
            throw TrainingError("model '\(name)' must be compiled before fit: " + (compileProblem.map { "\($0)" } ?? "call compile(optimizer:loss:metrics:) or load a file with a compile_config"))
        }
        try checkTrainingData(x: x, y: y)
        guard batchSize > 0, epochs >= 0 else { throw TrainingError("batch size must be positive and epochs non-negative, got batchSize \(batchSize), epochs \(epochs)") }
        guard (0..<1).contains(validationSplit) else { throw TrainingError("validation_split must be in [0, 1), got \(validationSplit)") }
        let weights = try sampleWeights(sampleWeight, classWeight: classWeight, y: y)

        // The training rows are 0..<n of x and y; with validation_split the last rows are held out by index, so
        // the data is never copied (batches are gathered from x and y directly).
        var n = x[0].shape[0]
        var validation = validationData.map { (x: $0.x, y: $0.y, weights: Tensor?.none, rows: 0..<($0.x.first?.shape.first ?? 0)) }
        if validationSplit > 0, validationData == nil {
            let splitAt = Int((Double(n) * (1.0 - validationSplit)).rounded(.down))
            guard splitAt > 0, splitAt < n else {
                throw TrainingError("validation_split \(validationSplit) of \(n) samples leaves an empty training or validation set")
            }
            // Keras splits sample weights with the data; class weights apply to the training part only.
            validation = (x, y, sampleWeight != nil ? weights : nil, splitAt..<n)
            n = splitAt
        }
        if let v = validationData { try checkTrainingData(x: v.x, y: v.y) }

        var rng = seed.map { RandomGenerator(seed: $0) } ?? RandomGenerator()
        if let seed { reseedLayers(seed) }
        let variables = trainableVariables
        try checkTrainableSetUnchanged(optimizer, variables)
        optimizer.build(variables)
        let steps = (n + batchSize - 1) / batchSize
        var history = History()
        stopTraining = false
        for callback in callbacks { try callback.onTrainBegin(self, logs: TrainingLogs()) }
        var trainingLogs = TrainingLogs()
        let profile = EpochProfile.ifEnabled()
        for epoch in 0..<epochs {
            let start = Date()
            for callback in callbacks { try callback.onEpochBegin(epoch, model: self, logs: TrainingLogs()) }
            progress.beginEpoch(epoch + 1, of: epochs, steps: steps)
            var order = Array(0..<n)
            if shuffle { order.shuffle(using: &rng) }
            var means = LogMeans(self)
            for step in 0..<steps {
                for callback in callbacks { try callback.onTrainBatchBegin(step, model: self, logs: means.logs) }
                let rows = Array(order[(step * batchSize)..<min(n, (step + 1) * batchSize)])
                let (xb, yb) = (x.map { $0.gathering(rows: rows) }, y.map { $0.gathering(rows: rows) })
                let wb = weights?.gathering(rows: rows)
                let (losses, predictions) = try self.step(x: xb, y: yb, sampleWeight: wb, variables: variables, profile: profile)
                let lossValue = losses.total
                if !lossValue.isFinite { progress.warn("loss is \(lossValue) at epoch \(epoch + 1), step \(step + 1): training diverged (check the learning rate and the inputs' scale)") }
                // Masks reach the loss only: Keras on JAX (the reference) updates its training metrics with
                // predictions that come back through `jax.value_and_grad` without their mask (evaluate's are masked).
                means.add(losses, count: rows.count, yTrue: yb, yPred: predictions, masks: nil, sampleWeight: wb)
                for callback in callbacks { try callback.onTrainBatchEnd(step, model: self, logs: means.logs) }
                progress.step(step + 1, logs: means.logs, elapsed: Date().timeIntervalSince(start))
                if stopTraining { break }
            }
            var logs = means.logs
            if let v = validation {
                let validationLogs = try profiled(profile, .validation) {
                    try evaluate(x: v.x, y: v.y, sampleWeight: v.weights, rows: v.rows, batchSize: batchSize, callbacks: callbacks)
                }
                for (name, value) in validationLogs.pairs { logs["val_" + name] = value }
            }
            for callback in callbacks { try callback.onEpochEnd(epoch, model: self, logs: &logs) }
            let seconds = Date().timeIntervalSince(start)
            if let profile { FileHandle.standardError.write(Data((profile.report(epoch: epoch + 1, total: seconds) + "\n").utf8)) }
            history.append(logs)
            history.epochSeconds.append(seconds)
            progress.endEpoch(steps: steps, logs: logs, elapsed: seconds)
            trainingLogs = logs
            if stopTraining { break }
        }
        for callback in callbacks { try callback.onTrainEnd(self, logs: trainingLogs) }
        return history
    }

    /// Keras's per-sample weights: `sampleWeight` as given (one per sample, or one per sample and step for sequence
    /// outputs), or `classWeight[class of y]` (class ids, or the argmax of one-hot rows; 1 for classes not listed);
    /// `nil` when neither is given.
    private func sampleWeights(_ sampleWeight: Tensor?, classWeight: [Int: Float]?, y: [Tensor]) throws -> Tensor? {
        let n = y[0].shape[0]
        if let sampleWeight {
            guard classWeight == nil else { throw TrainingError("give sample_weight or class_weight, not both (as Keras requires)") }
            guard sampleWeight.rank >= 1, sampleWeight.shape[0] == n else {
                throw TrainingError("sample_weight must hold one weight per sample (\(n)), or per sample and step, got shape \(sampleWeight.shape)")
            }
            if let bad = sampleWeight.scalars.firstIndex(where: { !$0.isFinite }) {
                throw TrainingError("sample_weight holds a non-finite value (\(sampleWeight.scalars[bad])) at index \(bad)")
            }
            return sampleWeight.count == n ? sampleWeight.reshaped(to: [n]) : sampleWeight
        }
        guard let classWeight else { return nil }
        guard y.count == 1 else { throw TrainingError("class_weight is only supported for models with a single output (this one has \(y.count))") }
        let targets = y[0]
        if targets.rank > 1, targets.shape.last != 1, (outputLosses.first ?? loss)?.kind == .sparseCategoricalCrossentropy {
            throw TrainingError("class_weight needs one class id per sample, got targets of shape \(targets.shape) (class ids per step); give sample_weight per sample and step instead (Keras cannot weight these by class either)")
        }
        let ids: [Int] = targets.rank > 1 && targets.shape.last != 1
            ? targets.argmaxLastAxis()
            : targets.scalars.map { Int($0.rounded()) }
        return Tensor(shape: [n], scalars: ids.map { classWeight[$0] ?? 1 })
    }

    /// One optimizer step on a batch; returns the batch loss and the (detached) predictions.
    public func trainStep(x: Tensor, y: Tensor, variables: [Variable]? = nil) throws -> (loss: Float, prediction: Tensor) {
        let (loss, predictions) = try trainStep(x: [x], y: [y], variables: variables)
        return (loss, predictions[0])
    }

    /// One optimizer step on a batch of a model with several inputs or outputs; returns the batch loss (the
    /// weighted sum over the outputs) and the (detached) predictions, one per output.
    public func trainStep(x: [Tensor], y: [Tensor], variables: [Variable]? = nil) throws -> (loss: Float, predictions: [Tensor]) {
        let floatMode = FloatMode.flushingSubnormals()
        defer { floatMode.restore() }
        let (losses, predictions) = try step(x: x, y: y, sampleWeight: nil, variables: variables)
        return (losses.total, predictions)
    }

    /// One optimizer step; `profile` (when profiling) gets the time of its phases.
    private func step(x: [Tensor], y: [Tensor], sampleWeight: Tensor?, variables: [Variable]?,
                      profile: EpochProfile? = nil) throws -> (losses: BatchLosses, predictions: [Tensor]) {
        guard let optimizer else { throw TrainingError("model '\(name)' is not compiled") }
        let watched = variables ?? trainableVariables
        // The recorded graph is dropped before the update, so the optimizer writes the weights in place instead
        // of copying the buffers the graph still shares.
        let (gradients, losses, predictions): ([Tensor], BatchLosses, [Tensor]) = try {
            let tape = GradientTape(watching: watched)
            defer { tape.stop() }
            let (total, losses, predictions) = try profiled(profile, .forward) {
                let ((predictions, masks), activityLosses) = try AddedLosses.collecting { try runWithMasks(x, training: true) }
                let (compiled, perOutput) = try totalLoss(yTrue: y, yPred: predictions, masks: masks, sampleWeight: sampleWeight)
                let total = try addingRegularization(to: compiled, activityLosses: activityLosses)
                return (total, BatchLosses(total: total.scalar, perOutput: perOutput), predictions.map(\.detached))
            }
            return (profiled(profile, .backward) { tape.gradients(of: total) }, losses, predictions)
        }()
        try profiled(profile, .optimizer) {
            optimizer.apply(gradients, to: watched)
            try applyConstraints(to: watched)
        }
        return (losses, predictions)
    }

    /// The loss and metrics over `x`, `y` in inference mode (Keras's `model.evaluate`).
    /// With `sampleWeight`, each sample's loss is weighted (metrics are not, as Keras's `metrics`). The loss and the
    /// mean metrics of an output that carries a mask count its unmasked steps only, as Keras's do.
    /// `callbacks` get the test hooks (`onTestBegin`, `onTestBatchBegin/End`, `onTestEnd`).
    public func evaluate(x: Tensor, y: Tensor, batchSize: Int = 32, sampleWeight: Tensor? = nil,
                         callbacks: [any Callback] = []) throws -> TrainingLogs {
        try evaluate(x: [x], y: [y], batchSize: batchSize, sampleWeight: sampleWeight, callbacks: callbacks)
    }

    /// `evaluate` for models with several inputs or outputs.
    public func evaluate(x: [Tensor], y: [Tensor], batchSize: Int = 32, sampleWeight: Tensor? = nil,
                         callbacks: [any Callback] = []) throws -> TrainingLogs {
        try evaluate(x: x as [any SampleSource], y: y, batchSize: batchSize, sampleWeight: sampleWeight, callbacks: callbacks)
    }

    /// `evaluate` on inputs read batch by batch from sample sources, one per model input (a `MappedNPY` file is never
    /// copied as a whole); the targets are tensors, one per output.
    public func evaluate(x: [any SampleSource], y: [Tensor], batchSize: Int = 32, sampleWeight: Tensor? = nil,
                         callbacks: [any Callback] = []) throws -> TrainingLogs {
        let floatMode = FloatMode.flushingSubnormals()
        defer { floatMode.restore() }
        try checkTrainingData(x: x, y: y)
        let weights = try sampleWeights(sampleWeight, classWeight: nil, y: y)
        return try evaluate(x: x, y: y, sampleWeight: weights, rows: 0..<x[0].shape[0], batchSize: batchSize, callbacks: callbacks)
    }

    /// `evaluate` over the rows `rows` of already checked arrays.
    private func evaluate(x: [any SampleSource], y: [Tensor], sampleWeight: Tensor?, rows: Range<Int>, batchSize: Int,
                          callbacks: [any Callback] = []) throws -> TrainingLogs {
        guard loss != nil else { throw TrainingError("model '\(name)' must be compiled before evaluate") }
        var means = LogMeans(self)
        for callback in callbacks { try callback.onTestBegin(self, logs: TrainingLogs()) }
        let step = max(1, batchSize)
        let batches = stride(from: rows.lowerBound, to: rows.upperBound, by: step).map { $0..<min(rows.upperBound, $0 + step) }
        func add(_ result: TestBatch) {
            means.add(result.losses, count: result.rows.count, yTrue: result.yTrue, yPred: result.predictions,
                      masks: result.masks, sampleWeight: result.sampleWeight)
        }
        if callbacks.isEmpty, batches.count > 2, Parallel.threadCount > 1, inferenceRunsConcurrently {
            // As in `predict`: the first batch alone, then one batch per core side by side; losses and metrics are
            // still added in batch order. (Callbacks see each batch before it runs, so with them batches run in turn.)
            add(try testBatch(x: x, y: y, sampleWeight: sampleWeight, rows: batches[0]))
            for window in stride(from: 1, to: batches.count, by: Parallel.threadCount) {
                let count = min(Parallel.threadCount, batches.count - window)
                let results = try Parallel.map(count, concurrently: true) {
                    try testBatch(x: x, y: y, sampleWeight: sampleWeight, rows: batches[window + $0])
                }
                results.forEach(add)
            }
        } else {
            for (batch, range) in batches.enumerated() {
                for callback in callbacks { try callback.onTestBatchBegin(batch, model: self, logs: means.logs) }
                add(try testBatch(x: x, y: y, sampleWeight: sampleWeight, rows: range))
                for callback in callbacks { try callback.onTestBatchEnd(batch, model: self, logs: means.logs) }
            }
        }
        for callback in callbacks { try callback.onTestEnd(self, logs: means.logs) }
        return means.logs
    }

    /// One batch of `evaluate`: its targets, predictions and losses (metrics are added by the caller, in order).
    private struct TestBatch {
        let rows: Range<Int>
        let yTrue: [Tensor]
        let predictions: [Tensor]
        /// The mask each output carries (`nil` where none): evaluate's metrics are masked, as Keras's are.
        let masks: [Tensor?]
        let sampleWeight: Tensor?
        let losses: BatchLosses
    }

    private func testBatch(x: [any SampleSource], y: [Tensor], sampleWeight: Tensor?, rows range: Range<Int>) throws -> TestBatch {
        let (xb, yb, wb) = (x.map { $0.rows(range) }, y.map { $0.rows(range) }, sampleWeight?.rows(range))
        let ((predictions, masks), activityLosses) = try AddedLosses.collecting { try runWithMasks(xb, training: false) }
        let (compiled, perOutput) = try totalLoss(yTrue: yb, yPred: predictions, masks: masks, sampleWeight: wb)
        let total = try addingRegularization(to: compiled, activityLosses: activityLosses)
        return TestBatch(rows: range, yTrue: yb, predictions: predictions, masks: masks, sampleWeight: wb,
                         losses: BatchLosses(total: total.scalar, perOutput: perOutput))
    }

    /// Each output's loss (its own, or the one compiled loss) and their sum weighted by `lossWeights`, as Keras's
    /// `CompileLoss` computes it; the per-output values are unweighted (what Keras logs as `<output>_loss`). An output
    /// that carries a mask (`masks`) has its loss averaged over the unmasked steps only, as Keras's `Loss.__call__`.
    private func totalLoss(yTrue: [Tensor], yPred: [Tensor], masks: [Tensor?], sampleWeight: Tensor?) throws -> (total: Tensor, perOutput: [Float]) {
        guard let loss else { throw TrainingError("model '\(name)' is not compiled") }
        var total: Tensor?
        var perOutput: [Float] = []
        for (i, (t, p)) in zip(yTrue, yPred).enumerated() {
            let lossFunction = i < outputLosses.count ? outputLosses[i] : loss
            var value = try lossFunction(yTrue: t, yPred: p, sampleWeight: sampleWeight, mask: i < masks.count ? masks[i] : nil)
            perOutput.append(value.scalar)
            if i < lossWeights.count { value = value * lossWeights[i] }
            total = total.map { $0 + value } ?? value
        }
        return (total ?? Tensor(0), perOutput)
    }

    /// Keras builds the optimizer for the trainable weights once; a layer frozen or unfrozen afterwards needs a
    /// new compile (never silently ignored).
    private func checkTrainableSetUnchanged(_ optimizer: Optimizer, _ variables: [Variable]) throws {
        guard optimizer.isBuilt, optimizer.builtVariables.map(ObjectIdentifier.init) != variables.map(ObjectIdentifier.init) else { return }
        let before = Set(optimizer.builtVariables.map(ObjectIdentifier.init)), now = Set(variables.map(ObjectIdentifier.init))
        let changed = flattenedLayers.filter { layer in layer.weights.contains { before.contains(ObjectIdentifier($0)) != now.contains(ObjectIdentifier($0)) } }
            .filter { !($0 is Model) }.map(\.name)
        throw TrainingError("the trainable weights changed since the optimizer was built (layers \(changed.joined(separator: ", "))): call compile again (or recompile()) before fit, as Keras requires")
    }

    private func checkTrainingData(x: [any SampleSource], y: [Tensor]) throws {
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
        for (what, arrays) in [("x", x), ("y", y as [any SampleSource])] {
            for (i, array) in arrays.enumerated() {
                if let (bad, value) = array.firstNonFinite() {
                    let label = arrays.count == 1 ? what : "\(what)[\(i)]"
                    throw TrainingError("\(label) holds a non-finite value (\(value)) at flat index \(bad)")
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
struct BatchLosses {
    let total: Float
    let perOutput: [Float]
}
