import ArgumentParser
import Foundation
import Keras

/// `keras fit MODEL …`: trains a model with its compile_config and saves the result.
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fit", abstract: "Train a compiled .keras model on .npy arrays or MNIST and save it.")

    @Argument(help: "A .keras model saved with a compile_config (compiled in Python).")
    var model: String

    @OptionGroup var data: TrainingDataOptions

    @Option(help: "Where to save the trained model (.keras, written atomically).")
    var output: String

    @Option(help: "Number of epochs.") var epochs: Int = 1
    @Option(help: "Samples per batch.") var batchSize: Int = 32
    @Option(help: "Fraction of the samples (the last ones, before shuffling) held out for validation.") var validationSplit: Double = 0
    @Flag(help: "Do not shuffle the training samples each epoch.") var noShuffle = false
    @Option(help: "Seed for shuffling and dropout.") var seed: UInt64?
    @Option(help: ArgumentHelp("Validation inputs (.npy), evaluated after each epoch (repeat for several inputs); needs --validation-y.", valueName: "X.npy")) var validationX: [String] = []
    @Option(help: ArgumentHelp("Validation targets (.npy) for --validation-x (repeat for several outputs).", valueName: "Y.npy")) var validationY: [String] = []
    @Option(help: ArgumentHelp("Replace the file's learning rate (or schedule) with this fixed rate.", valueName: "LR")) var learningRate: Double?
    @Option(help: ArgumentHelp("Freeze the layer NAME (trainable = false) before training; repeatable. The optimizer then starts afresh, as after a recompile in Keras.", valueName: "NAME"))
    var freeze: [String] = []
    @Option(help: ArgumentHelp("Stop when the monitored loss (val_loss with validation data, else loss) has not improved for PATIENCE epochs; the best weights are restored.", valueName: "PATIENCE"))
    var earlyStopping: Int?
    @Option(help: ArgumentHelp("Save the best model by the monitored loss (val_loss with validation data, else loss) to this path (.keras, or .weights.h5 for weights only); may hold fields such as {epoch:02d}.", valueName: "PATH"))
    var checkpoint: String?
    @Option(help: ArgumentHelp("Write Keras's CSVLogger file (one row per epoch) to this path.", valueName: "PATH")) var csvLog: String?
    @Option(help: ArgumentHelp("Weight of each class id, as JSON: '{\"0\": 1.0, \"1\": 3.0}' (Keras's class_weight).", valueName: "JSON")) var classWeight: String?
    @Option(help: ArgumentHelp("Weight of each training sample (.npy, one value per sample, or per sample and step for sequence outputs; Keras's sample_weight).", valueName: "W.npy")) var sampleWeight: String?
    @Flag(help: "Print one JSON object {\"history\": …, \"epoch_seconds\": …} on stdout; progress goes to stderr.") var json = false
    @Option(help: "Also write the training curves (one panel per logged value, training and validation per epoch) to this .svg file.")
    var plot: String?

    func run() throws {
        try runReportingErrors {
            let loaded = try loadModel(model)
            printWarnings(loaded)
            guard loaded.isCompiled else {
                if let problem = loaded.compileProblem { throw ValidationError("\(model): \(problem)") }
                throw ValidationError("\(model) has no compile_config with a loss and an optimizer: compile it in Python before saving, or build and compile the model in Swift")
            }
            let (x, y) = try data.load(for: loaded, split: .train)
            try FineTuning.freeze(freeze, in: loaded)
            if let learningRate {
                guard learningRate > 0, learningRate.isFinite else { throw ValidationError("--learning-rate must be a positive number, got \(learningRate)") }
                loaded.optimizer?.schedule = nil
                try loaded.optimizer?.setLearningRate(Float(learningRate))
            }
            guard validationX.isEmpty == validationY.isEmpty else { throw ValidationError("give both --validation-x and --validation-y") }
            let validation = validationX.isEmpty ? nil
                : (x: try validationX.map { try NPY.samples(path: $0) }, y: try validationY.map { try NPY.readTensor(path: $0) })
            let monitor = validation != nil || validationSplit > 0 ? "val_loss" : "loss"
            var callbacks: [any Callback] = []
            if let patience = earlyStopping {
                guard patience >= 0 else { throw ValidationError("--early-stopping needs a patience ≥ 0, got \(patience)") }
                callbacks.append(EarlyStopping(monitor: monitor, patience: patience, restoreBestWeights: true))
            }
            if let checkpoint {
                callbacks.append(try ModelCheckpoint(checkpoint, monitor: monitor, saveBestOnly: true, saveWeightsOnly: checkpoint.hasSuffix(".weights.h5")))
            }
            if let csvLog { callbacks.append(CSVLogger(csvLog)) }
            let progress: ProgressReporter = json ? .automatic(to: .standardError) : .automatic()
            let history = try loaded.fit(x: x, y: y, batchSize: batchSize, epochs: epochs, validationSplit: validationSplit,
                                         validationData: validation, shuffle: !noShuffle, seed: seed,
                                         sampleWeight: try sampleWeight.map { try NPY.readTensor(path: $0) },
                                         classWeight: try classWeight.map(FineTuning.classWeights), callbacks: callbacks, progress: progress)
            try loaded.save(to: output)
            if let plot {
                try AtomicFile.write(Array(history.curvesSVG(title: "Training of \((model as NSString).lastPathComponent)").utf8), to: plot)
            }
            if json {
                var h = JSONObject()
                for name in history.names { h[name] = .array(history[name].map { .double($0) }) }
                let out: JSON = .object(["history": .object(h), "epoch_seconds": .array(history.epochSeconds.map { .double($0) })])
                print(out.serialized())
            }
        }
    }
}

/// The fine-tuning options of `keras fit`.
enum FineTuning {
    /// Sets `trainable = false` on each named layer (nested models' layers included); a name that is not a layer is
    /// an error listing the layers. The optimizer starts afresh (Keras's recompile after freezing).
    static func freeze(_ names: [String], in model: Model) throws {
        guard !names.isEmpty else { return }
        var byName: [String: Layer] = [:]
        func collect(_ m: Model) {
            for layer in m.layers {
                byName[layer.name] = byName[layer.name] ?? layer
                if let nested = layer as? Model { collect(nested) }
            }
        }
        collect(model)
        for name in names {
            guard let layer = byName[name] else {
                throw ValidationError("--freeze \(name): no layer of that name; the layers are \(byName.keys.sorted().joined(separator: ", "))")
            }
            layer.trainable = false
        }
        try model.recompile()
    }

    /// `{"0": 1.0, "1": 3.0}` → class id → weight.
    static func classWeights(_ text: String) throws -> [Int: Float] {
        guard let object = (try? JSON.parse(Array(text.utf8)))?.objectValue else {
            throw ValidationError("--class-weight must be a JSON object of class id → weight, such as '{\"0\": 1.0, \"1\": 3.0}', got \(text)")
        }
        var out: [Int: Float] = [:]
        for (key, value) in object {
            guard let id = Int(key), let weight = value.doubleValue, weight.isFinite else {
                throw ValidationError("--class-weight: '\(key)': \(value.serialized()) is not a class id with a finite weight")
            }
            out[id] = Float(weight)
        }
        return out
    }
}
