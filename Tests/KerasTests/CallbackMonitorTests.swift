import Foundation
import Testing
@testable import Keras

/// `Fixtures/finetune/callbacks/monitor_cases.json`: Keras's EarlyStopping and ReduceLROnPlateau fed given epoch
/// logs; the Swift callbacks, fed the same logs, must stop after the same epoch, keep the same best epoch and set
/// the same learning rates.
struct CallbackMonitorTests {
    static let cases: [JSON] = {
        let data = FileManager.default.contents(atPath: fixture("finetune/callbacks/monitor_cases.json")) ?? Data()
        return (try? JSON.parse(Array(data)))?.arrayValue ?? []
    }()

    static func model() throws -> Model {
        let m = try Sequential([Input(shape: [2]), Dense(2)])
        m.compile(optimizer: SGD(learningRate: 0.1), loss: .meanSquaredError, metrics: [Metric(.accuracy)])
        return m
    }

    @Test func thereAreCases() { #expect(Self.cases.count == 12) }

    /// ModelCheckpoint with `save_freq` in batches (counted across epochs) and `save_best_only`: Keras's file names.
    @Test("ModelCheckpoint saves every n batches as Keras's", arguments: cases.indices.filter { cases[$0]["callback"]?.stringValue == "ModelCheckpoint" })
    func checkpointEveryNBatches(_ index: Int) throws {
        let c = Self.cases[index]
        let frequency = try #require(c["config"]?["save_freq"]?.intValue)
        let best = c["config"]?["save_best_only"] == .bool(true)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: work) }
        let model = try Sequential([Input(shape: [2]), Dense(2)])
        model.compile(optimizer: SGD(learningRate: 0.01), loss: .meanSquaredError)
        let checkpoint = try ModelCheckpoint("\(work)/f\(frequency)-{epoch}-{batch}.keras", monitor: "loss", saveBestOnly: best,
                                             saveFrequency: .batches(frequency))
        try model.fit(x: Tensor.ones([6, 2]), y: Tensor.zeros([6, 2]), batchSize: 2, epochs: 3, shuffle: false, callbacks: [checkpoint])
        let expected = (c["files"]?.arrayValue ?? []).compactMap(\.stringValue)
        #expect(!expected.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: work).sorted() == expected)
    }

    @Test("EarlyStopping and ReduceLROnPlateau decide as Keras's", arguments: cases.indices.filter { cases[$0]["callback"]?.stringValue != "ModelCheckpoint" })
    func sameDecisions(_ index: Int) throws {
        let c = Self.cases[index]
        let config = try #require(c["config"]?.objectValue)
        let key = try #require(c["key"]?.stringValue)
        let values = (c["values"]?.arrayValue ?? []).compactMap(\.doubleValue)
        let model = try Self.model()
        let mode = MonitorMode(rawValue: config["mode"]?.stringValue ?? "auto") ?? .auto
        let monitor = config["monitor"]?.stringValue ?? "val_loss"
        if c["callback"]?.stringValue == "EarlyStopping" {
            let cb = EarlyStopping(monitor: monitor, minDelta: config["min_delta"]?.doubleValue ?? 0, patience: config["patience"]?.intValue ?? 0,
                                   mode: mode, baseline: config["baseline"]?.doubleValue, startFromEpoch: config["start_from_epoch"]?.intValue ?? 0)
            try cb.onTrainBegin(model, logs: TrainingLogs())
            var stopped: Int?
            for (epoch, value) in values.enumerated() {
                var logs = TrainingLogs()
                logs[key] = value
                try cb.onEpochEnd(epoch, model: model, logs: &logs)
                if model.stopTraining { stopped = epoch; break }
            }
            #expect(stopped == c["stopped_after"]?.intValue, "\(config)")
            #expect(cb.bestEpoch == c["best_epoch"]?.intValue, "\(config)")
        } else {
            let cb = try ReduceLROnPlateau(monitor: monitor, factor: config["factor"]?.doubleValue ?? 0.1, patience: config["patience"]?.intValue ?? 10,
                                           minDelta: config["min_delta"]?.doubleValue ?? 1e-4, cooldown: config["cooldown"]?.intValue ?? 0,
                                           minLR: config["min_lr"]?.doubleValue ?? 0)
            try cb.onTrainBegin(model, logs: TrainingLogs())
            let rates = c["rates"]?.arrayValue ?? []
            #expect(rates.count == values.count)
            for (epoch, (value, expected)) in zip(values, rates).enumerated() {
                var logs = TrainingLogs()
                logs[key] = value
                try cb.onEpochEnd(epoch, model: model, logs: &logs)
                #expect(abs((logs["learning_rate"] ?? .nan) - (expected.arrayValue?[0].doubleValue ?? .nan)) < 1e-9, "epoch \(epoch) logged rate, \(config)")
                #expect(abs(Double(model.optimizer?.learningRate ?? .nan) - (expected.arrayValue?[1].doubleValue ?? .nan)) < 1e-9, "epoch \(epoch) rate, \(config)")
            }
        }
    }

    @Test func terminateOnNaNStopsOrThrows() throws {
        let model = try Self.model()
        var logs = TrainingLogs()
        logs["loss"] = .nan
        try TerminateOnNaN().onTrainBatchEnd(0, model: model, logs: logs)
        #expect(model.stopTraining)
        #expect(throws: TrainingError.self) { try TerminateOnNaN(raiseError: true).onTrainBatchEnd(3, model: model, logs: logs) }
    }

    @Test func learningRateSchedulerSetsAndLogsTheRate() throws {
        let model = try Self.model()
        let x = Tensor(shape: [4, 2], scalars: [1, 2, 3, 4, 5, 6, 7, 8]), y = Tensor(shape: [4, 2], scalars: [1, 0, 0, 1, 1, 0, 0, 1])
        let history = try model.fit(x: x, y: y, batchSize: 2, epochs: 3, shuffle: false,
                                    callbacks: [LearningRateScheduler { epoch, rate in epoch == 0 ? rate : rate / 2 }])
        #expect(history["learning_rate"].map { Float($0) } == [0.1, 0.05, 0.025])
        let scheduled = try Self.model()
        scheduled.optimizer?.schedule = ExponentialDecay(initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5)
        #expect(throws: TrainingError.self) {
            try scheduled.fit(x: x, y: y, callbacks: [LearningRateScheduler { _, rate in rate }])
        }
    }

    @Test func checkpointNamesAreFormattedAsPythonDoes() throws {
        var logs = TrainingLogs()
        logs["val_loss"] = 0.123456
        logs["loss"] = 1.5
        #expect(try PythonFormat.fill("m-{epoch:02d}-{val_loss:.2f}.keras", epoch: 3, logs: logs) == "m-03-0.12.keras")
        #expect(try PythonFormat.fill("{epoch}_{loss}.weights.h5", epoch: 12, logs: logs) == "12_1.5.weights.h5")
        #expect(throws: TrainingError.self) { try PythonFormat.fill("{val_acc:.2f}.keras", epoch: 1, logs: logs) }
        #expect(throws: TrainingError.self) { try ModelCheckpoint("best.h5x") }
        #expect(throws: TrainingError.self) { try ModelCheckpoint("best.keras", saveWeightsOnly: true) }
    }
}

/// The order in which `fit` calls the hooks, as Keras's `fit` calls them (validation runs the test hooks before the
/// epoch ends), and `stopTraining` ending the epoch after the current batch.
struct CallbackOrderTests {
    final class Recorder: Callback {
        var events: [String] = []
        var stopAtBatch: Int?
        func onTrainBegin(_ model: Model, logs: TrainingLogs) throws { events.append("train_begin") }
        func onTrainEnd(_ model: Model, logs: TrainingLogs) throws { events.append("train_end") }
        func onEpochBegin(_ epoch: Int, model: Model, logs: TrainingLogs) throws { events.append("epoch_begin \(epoch)") }
        func onEpochEnd(_ epoch: Int, model: Model, logs: inout TrainingLogs) throws { events.append("epoch_end \(epoch) \(logs.names.joined(separator: ","))") }
        func onTrainBatchBegin(_ batch: Int, model: Model, logs: TrainingLogs) throws { events.append("batch_begin \(batch)") }
        func onTrainBatchEnd(_ batch: Int, model: Model, logs: TrainingLogs) throws {
            events.append("batch_end \(batch)")
            if batch == stopAtBatch { model.stopTraining = true }
        }
        func onTestBegin(_ model: Model, logs: TrainingLogs) throws { events.append("test_begin") }
        func onTestEnd(_ model: Model, logs: TrainingLogs) throws { events.append("test_end") }
        func onTestBatchEnd(_ batch: Int, model: Model, logs: TrainingLogs) throws { events.append("test_batch_end \(batch)") }
    }

    @Test func hooksRunInKerasOrder() throws {
        let model = try CallbackMonitorTests.model()
        let x = Tensor(shape: [4, 2], scalars: [1, 2, 3, 4, 5, 6, 7, 8]), y = Tensor(shape: [4, 2], scalars: [1, 0, 0, 1, 1, 0, 0, 1])
        let recorder = Recorder()
        try model.fit(x: x, y: y, batchSize: 2, epochs: 2, validationData: (x, y), shuffle: false, callbacks: [recorder])
        let epoch = { (e: Int) in ["epoch_begin \(e)", "batch_begin 0", "batch_end 0", "batch_begin 1", "batch_end 1",
                                   "test_begin", "test_batch_end 0", "test_batch_end 1", "test_end",
                                   "epoch_end \(e) loss,accuracy,val_loss,val_accuracy"] }
        #expect(recorder.events == ["train_begin"] + epoch(0) + epoch(1) + ["train_end"])

        let stopper = Recorder()
        stopper.stopAtBatch = 0
        let history = try model.fit(x: x, y: y, batchSize: 2, epochs: 3, shuffle: false, callbacks: [stopper])
        #expect(history["loss"].count == 1)
        #expect(stopper.events == ["train_begin", "epoch_begin 0", "batch_begin 0", "batch_end 0", "epoch_end 0 loss,accuracy", "train_end"])
    }
}
